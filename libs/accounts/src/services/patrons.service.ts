import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Env } from '@lib/config';
import { isPgError, PgErrorCode } from '@lib/db';
import { Patron } from '../entities/patron.entity';
import { Card, CardStatus } from '../entities/card.entity';
import { CardStatusDto, CardView, OwnProfile, PatronView, RegisterPatronDto } from '../dto/patron.dto';
import { AccountError } from '../accounts.errors';
import { isValidCardNumber, makeCardNumber } from '../identity/card-number';
import { normalizeIdNumber } from '../identity/id-number';
import { isValidPhone, normalizePhone } from '../identity/phone';
import { maskIdNumber, maskPhone } from '../identity/masking';
import { PersonalDataCipher } from '../identity/personal-data-cipher';
import { PasswordHasher } from './password-hasher';
import { PersonalDataAccessLog, StaffAccess } from './personal-data-access.service';

/** A patron found by card number or phone, with the card that login went through. */
export interface PatronLogin {
  patron: Patron;
  card: Card | null;
  /** The card number typed was one reported lost. */
  viaLostCard: boolean;
}

/** A resident as circulation sees them: the card they present and their category. */
export interface Borrower {
  patronId: string;
  cardNumber: string | null;
  cardStatus: CardStatus;
  category: string;
  keepLoanHistory: boolean;
}

@Injectable()
export class PatronsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
    private readonly hasher: PasswordHasher,
    private readonly env: Env,
    private readonly accessLog: PersonalDataAccessLog,
  ) {}

  /** Registers a resident and issues the one card, in one transaction. */
  async register(input: RegisterPatronDto): Promise<{ id: string; cardNumber: string }> {
    const phone = normalizePhone(input.phone);
    const idNumber = input.idNumber ? normalizeIdNumber(input.idNumber) : null;
    const passwordHash = await this.hasher.hash(input.password);
    try {
      return await this.dataSource.transaction(async (em) => {
        if (this.cipher.rotating) await this.refuseTakenUnderPreviousKeys(em, phone, idNumber);
        const patron = await em.getRepository(Patron).save(
          em.getRepository(Patron).create({
            name: input.name.trim(),
            phoneFingerprint: this.cipher.fingerprint('phone', phone),
            phoneEncrypted: this.cipher.encrypt(phone),
            idNumberFingerprint: idNumber ? this.cipher.fingerprint('id', idNumber) : null,
            idNumberEncrypted: idNumber ? this.cipher.encrypt(idNumber) : null,
            category: input.category ?? 'adult',
            passwordHash,
          }),
        );
        const card = await this.issueCard(em, patron.id, 'active');
        return { id: patron.id, cardNumber: card.number };
      });
    } catch (e) {
      if (isPgError(e, PgErrorCode.UniqueViolation, 'patron_phone_fingerprint_key')) throw AccountError.PHONE_TAKEN({ field: 'phone' });
      if (isPgError(e, PgErrorCode.UniqueViolation, 'patron_id_number_fingerprint_key')) {
        throw AccountError.ID_NUMBER_TAKEN({ field: 'idNumber' });
      }
      throw e;
    }
  }

  /**
   * During a key rotation a resident not yet rotated carries the previous key's fingerprints, which the
   * unique indexes cannot compare with the current key's. Either that row is still committed with them
   * (seen here) or the rotation has rewritten it (then the unique index refuses the insert).
   */
  private async refuseTakenUnderPreviousKeys(em: EntityManager, phone: string, idNumber: string | null): Promise<void> {
    const phones = this.cipher.fingerprints('phone', phone).slice(1);
    const ids = idNumber ? this.cipher.fingerprints('id', idNumber).slice(1) : [];
    const rows: Array<{ phone: boolean }> = await em.query(
      `SELECT phone_fingerprint = ANY($1::char(64)[]) AS phone FROM patron
        WHERE phone_fingerprint = ANY($1::char(64)[]) OR id_number_fingerprint = ANY($2::char(64)[]) LIMIT 1`,
      [phones, ids],
    );
    if (!rows.length) return;
    if (rows[0].phone) throw AccountError.PHONE_TAKEN({ field: 'phone' });
    throw AccountError.ID_NUMBER_TAKEN({ field: 'idNumber' });
  }

  /** Resolves a login name (card number or phone) to a patron; null when nobody matches. */
  async findForLogin(login: string): Promise<PatronLogin | null> {
    const cards = this.dataSource.getRepository(Card);
    if (isValidCardNumber(login)) {
      const card = await cards.findOne({ where: { number: login }, relations: { patron: true } });
      if (!card?.patron) return null;
      if (card.status === 'lost') return { patron: card.patron, card: null, viaLostCard: true };
      return { patron: card.patron, card, viaLostCard: false };
    }
    if (isValidPhone(login)) {
      const patron = await this.dataSource
        .getRepository(Patron)
        .findOneBy({ phoneFingerprint: In(this.cipher.fingerprints('phone', normalizePhone(login))) });
      if (!patron) return null;
      return { patron, card: await this.cardInUse(patron.id), viaLostCard: false };
    }
    return null;
  }

  /** The patron and the card in use, in one query (GET /api/me asks this on every call). */
  async view(patronId: string): Promise<PatronView> {
    const rows: Array<{
      id: string;
      name: string;
      phone_encrypted: string | null;
      id_number_encrypted: string | null;
      category: Patron['category'];
      created_at: Date;
      number: string | null;
      status: CardStatus | null;
      issued_at: Date | null;
      ended_at: Date | null;
      status_reason: string | null;
    }> = await this.dataSource.query(
      `SELECT p.id, p.name, p.phone_encrypted, p.id_number_encrypted, p.category, p.created_at,
              c.number, c.status, c.issued_at, c.ended_at, c.status_reason
         FROM patron p LEFT JOIN card c ON c.patron_id = p.id AND c.status IN ('active', 'suspended')
        WHERE p.id = $1`,
      [patronId],
    );
    const r = rows[0];
    if (!r) throw AccountError.PATRON_NOT_FOUND({ id: patronId });
    // At most one card is in use (card_one_in_use_per_patron_key), so the join gives at most one row.
    const card = r.number === null ? null : { number: r.number, status: r.status!, issuedAt: r.issued_at!, endedAt: r.ended_at, statusReason: r.status_reason };
    return this.toView(
      { id: r.id, name: r.name, phoneEncrypted: r.phone_encrypted, idNumberEncrypted: r.id_number_encrypted, category: r.category, createdAt: r.created_at },
      card,
    );
  }

  async cardHistory(patronId: string): Promise<CardView[]> {
    const cards = await this.dataSource.getRepository(Card).find({ where: { patronId }, order: { issuedAt: 'DESC' } });
    return cards.map(toCardView);
  }

  /** The card that works now (active or suspended), if any. */
  async cardInUse(patronId: string, em: EntityManager = this.dataSource.manager): Promise<Card | null> {
    return em
      .getRepository(Card)
      .createQueryBuilder('c')
      .where('c.patronId = :patronId', { patronId })
      .andWhere(`c.status IN ('active', 'suspended')`)
      .getOne();
  }

  /** What the desk needs to lend to a card, without decrypting anything. */
  /** The card's holder; with `lock`, their patron row is locked too (one statement), for work that must run one at a time per resident. */
  async borrowerByCard(number: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<Borrower> {
    const rows: Array<{ patron_id: string; status: CardStatus; category: string; keep_loan_history: boolean; closed_at: Date | null }> = await em.query(
      `SELECT c.patron_id, c.status, p.category, p.keep_loan_history, p.closed_at FROM card c JOIN patron p ON p.id = c.patron_id WHERE c.number = $1${lock ? ' FOR UPDATE OF p' : ''}`,
      [number],
    );
    if (!rows.length) throw AccountError.CARD_NOT_FOUND({ number, field: 'cardNumber' });
    const r = rows[0];
    // With the lock, a checkout that waited for a closing account sees the patron row as committed (closed_at set),
    // while the joined card row is still the version read before the wait: closed_at is what tells it the card ended.
    const cardStatus: CardStatus = r.closed_at ? 'closed' : r.status;
    return { patronId: r.patron_id, cardNumber: number, cardStatus, category: r.category, keepLoanHistory: r.keep_loan_history };
  }

  async borrowerById(patronId: string, em: EntityManager = this.dataSource.manager): Promise<Borrower> {
    const rows: Array<{ number: string | null; status: CardStatus | null; category: string; keep_loan_history: boolean }> = await em.query(
      `SELECT c.number, c.status, p.category, p.keep_loan_history FROM patron p
         LEFT JOIN card c ON c.patron_id = p.id AND c.status IN ('active', 'suspended') WHERE p.id = $1`,
      [patronId],
    );
    if (!rows.length) throw AccountError.PATRON_NOT_FOUND({ id: patronId });
    const r = rows[0];
    return { patronId, cardNumber: r.number, cardStatus: r.status ?? 'lost', category: r.category, keepLoanHistory: r.keep_loan_history };
  }

  async setKeepLoanHistory(patronId: string, keep: boolean, em: EntityManager = this.dataSource.manager): Promise<void> {
    await em.getRepository(Patron).update({ id: patronId }, { keepLoanHistory: keep });
  }

  /** A card and its holder (name in full, phone and ID masked); a staff caller's read goes into the access log. */
  async cardByNumber(number: string, access?: StaffAccess, action = 'card.lookup'): Promise<{ card: CardView; patron: PatronView }> {
    return this.dataSource.transaction(async (em) => {
      const card = await em.getRepository(Card).findOne({ where: { number }, relations: { patron: true } });
      if (!card?.patron) throw AccountError.CARD_NOT_FOUND({ number });
      if (access) await this.accessLog.record(em, access, { patronId: card.patronId, operation: 'read', action, fields: PATRON_VIEW_FIELDS });
      return { card: toCardView(card), patron: this.toView(card.patron, card.status === 'lost' || card.status === 'closed' ? null : card) };
    });
  }

  /**
   * Reports the card in use lost and issues a new number in the same transaction. The old number
   * is refused from then on; a suspended card's replacement stays suspended.
   */
  async reissueCard(patronId: string, reason?: string, access?: StaffAccess): Promise<CardView> {
    return this.dataSource.transaction(async (em) => {
      // Lock the patron, not the card: a waiting reissue must see the card the previous one issued.
      const patron = await em.getRepository(Patron).findOne({ where: { id: patronId }, lock: { mode: 'pessimistic_write' } });
      if (!patron) throw AccountError.PATRON_NOT_FOUND({ id: patronId });
      if (patron.closedAt) throw AccountError.ACCOUNT_CLOSED();
      if (access) await this.accessLog.record(em, access, { patronId, operation: 'change', action: 'card.reissue', fields: ['card.number', 'card.status'] });
      const current = await this.cardInUse(patronId, em);
      const nextStatus: CardStatus = current?.status === 'suspended' ? 'suspended' : 'active';
      if (current) {
        await em
          .getRepository(Card)
          .update({ id: current.id }, { status: 'lost', endedAt: () => 'now()', statusReason: reason ?? 'reported lost' });
      }
      const card = await this.issueCard(em, patronId, nextStatus, current?.statusReason ?? null);
      if (current) await em.getRepository(Card).update({ id: current.id }, { replacedById: card.id });
      return toCardView(card);
    });
  }

  async setCardStatus(number: string, input: CardStatusDto, access?: StaffAccess): Promise<CardView> {
    return this.dataSource.transaction(async (em) => {
      const card = await em.getRepository(Card).findOne({ where: { number }, lock: { mode: 'pessimistic_write' } });
      if (!card) throw AccountError.CARD_NOT_FOUND({ number });
      if (card.status === 'lost' || card.status === 'closed') throw AccountError.CARD_STATUS_INVALID({ status: card.status, target: input.status });
      if (access) await this.accessLog.record(em, access, { patronId: card.patronId, operation: 'change', action: 'card.status', fields: ['card.status', 'card.statusReason'] });
      card.status = input.status;
      card.statusReason = input.status === 'active' ? null : (input.reason ?? null);
      return toCardView(await em.getRepository(Card).save(card));
    });
  }

  /** The resident's own profile with phone and ID number in full (the PIPL export: only ever to the resident). */
  async ownProfile(patronId: string, em: EntityManager = this.dataSource.manager): Promise<OwnProfile> {
    const patron = await em.getRepository(Patron).findOneBy({ id: patronId });
    if (!patron) throw AccountError.PATRON_NOT_FOUND({ id: patronId });
    const cards = await em.getRepository(Card).find({ where: { patronId }, order: { issuedAt: 'DESC' } });
    return {
      id: patron.id,
      name: patron.name,
      phone: patron.phoneEncrypted ? this.cipher.decrypt(patron.phoneEncrypted) : null,
      idNumber: patron.idNumberEncrypted ? this.cipher.decrypt(patron.idNumberEncrypted) : null,
      category: patron.category,
      keepLoanHistory: patron.keepLoanHistory,
      createdAt: patron.createdAt,
      cards: cards.map(toCardView),
    };
  }

  /**
   * The first step of closing an account: locks the patron row (a checkout or hold for this resident waits
   * behind it, and then sees the account closed) and checks the password. Answers the row, locked.
   */
  async lockForClosing(em: EntityManager, patronId: string, password: string): Promise<Patron> {
    const patron = await em.getRepository(Patron).findOne({ where: { id: patronId }, lock: { mode: 'pessimistic_write' } });
    if (!patron) throw AccountError.PATRON_NOT_FOUND({ id: patronId });
    if (patron.closedAt) throw AccountError.ACCOUNT_CLOSED();
    if (!(await this.hasher.verify(patron.passwordHash, password))) throw AccountError.PASSWORD_WRONG({ field: 'password' });
    return patron;
  }

  /**
   * Erases a locked patron's personal data: cards in use end as `closed`, phone and ID number (and their
   * fingerprints, so the number may register again) are removed, the name becomes a placeholder and the
   * password unusable. The row stays: fines and payments (kept for the accounts) and the anonymous usage
   * log point at it, and its category still counts in the statistics, which never held the name.
   */
  async eraseClosed(em: EntityManager, patronId: string): Promise<{ cardsEnded: number }> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [, cardsEnded]: [unknown, number] = await em.query(
      `UPDATE card SET status = 'closed', ended_at = now(), status_reason = 'account closed' WHERE patron_id = $1 AND status IN ('active', 'suspended')`,
      [patronId],
    );
    await em.query(
      `UPDATE patron SET name = $2, phone_fingerprint = NULL, phone_encrypted = NULL, id_number_fingerprint = NULL, id_number_encrypted = NULL,
              password_hash = '!closed', keep_loan_history = false, closed_at = now(), updated_at = now()
        WHERE id = $1`,
      [patronId, CLOSED_ACCOUNT_NAME],
    );
    return { cardsEnded };
  }

  private async issueCard(em: EntityManager, patronId: string, status: CardStatus, statusReason: string | null = null): Promise<Card> {
    const [{ serial }] = await em.query(`SELECT nextval('card_serial_seq')::int AS serial`);
    const repo = em.getRepository(Card);
    return repo.save(repo.create({ patronId, number: makeCardNumber(this.env.CARD_PREFIX, serial), status, statusReason }));
  }

  private toView(
    patron: Pick<Patron, 'id' | 'name' | 'phoneEncrypted' | 'idNumberEncrypted' | 'category' | 'createdAt'>,
    card: CardFields | null,
  ): PatronView {
    return {
      id: patron.id,
      name: patron.name,
      phone: patron.phoneEncrypted ? maskPhone(this.cipher.decrypt(patron.phoneEncrypted)) : null,
      idNumber: patron.idNumberEncrypted ? maskIdNumber(this.cipher.decrypt(patron.idNumberEncrypted)) : null,
      category: patron.category,
      card: card ? toCardView(card) : null,
      createdAt: patron.createdAt,
    };
  }
}

/** The name a closed account keeps (the column is required; the person's name is gone). */
export const CLOSED_ACCOUNT_NAME = '已注销';

/** What a staff read of a patron view shows: the name in full, the rest masked. */
const PATRON_VIEW_FIELDS = ['name', 'phone(masked)', 'idNumber(masked)', 'category', 'card'];

type CardFields = Pick<Card, 'number' | 'status' | 'issuedAt' | 'endedAt' | 'statusReason'>;

function toCardView(card: CardFields): CardView {
  return { number: card.number, status: card.status, issuedAt: card.issuedAt, endedAt: card.endedAt, statusReason: card.statusReason };
}
