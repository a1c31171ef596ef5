export * from './entities';
export * from './dto/catalog.dto';
export { CatalogError } from './catalog.errors';
export { CatalogModule } from './catalog.module';
export { CatalogService, toItemView } from './services/catalog.service';
export { normalizeIsbn, isbnProblem } from './isbn';
export { ImportService } from './services/import.service';
export type { ImportReport } from './services/import.service';
export type { ImportFormat } from './import';
