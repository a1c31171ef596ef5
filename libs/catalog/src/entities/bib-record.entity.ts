import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A bibliographic record (a title) in the one network-wide catalogue. `searchText` and `searchGrams`
 * are derived on every write (see search-terms.ts): a trigram index serves Latin text, a GIN index
 * on CJK unigrams and bigrams serves Chinese substrings that trigrams cannot ("三国").
 */
@Entity('bib_record')
export class BibRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** MARC 001 or the CSV's control number; imports match on it first. */
  @Index('bib_record_control_number_key', { unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  controlNumber: string | null;

  /** Normalised ISBN-13s; imports without a control number match on any of them. */
  @Index('bib_record_isbns_idx', { synchronize: false })
  @Column({ type: 'varchar', length: 13, array: true, default: () => `'{}'` })
  isbns: string[];

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  titleVariants: string[];

  @Column({ type: 'text', nullable: true })
  responsibility: string | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  authors: string[];

  @Column({ type: 'text', nullable: true })
  publisher: string | null;

  @Column({ type: 'smallint', nullable: true })
  year: number | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  language: string | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  subjects: string[];

  /** Chinese Library Classification (中图法) call number when known. */
  @Index('bib_record_call_number_idx')
  @Column({ type: 'varchar', length: 64, nullable: true })
  callNumber: string | null;

  @Index('bib_record_search_text_trgm_idx', { synchronize: false })
  @Column({ type: 'text', default: '' })
  searchText: string;

  @Index('bib_record_search_grams_idx', { synchronize: false })
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  searchGrams: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
