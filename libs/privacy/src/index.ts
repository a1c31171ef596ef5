export { PrivacyModule } from './privacy.module';
export { PrivacyError } from './privacy.errors';
export { PersonalDataExportService } from './services/personal-data-export.service';
export { AccountClosureService } from './services/account-closure.service';
export type { ClosedAccount } from './services/account-closure.service';
export { describeOpenItems } from './rules/open-items';
export type { OpenItems } from './rules/open-items';
