import { Module } from '@nestjs/common';
import { AccountsModule } from '@lib/accounts';
import { AuthModule } from '@lib/auth';
import { BookingModule } from '@lib/booking';
import { CirculationModule } from '@lib/circulation';
import { ServicesModule } from '@lib/services';
import { AccountClosureService } from './services/account-closure.service';
import { PersonalDataExportService } from './services/personal-data-export.service';

@Module({
  imports: [AccountsModule, AuthModule, CirculationModule, BookingModule, ServicesModule],
  providers: [PersonalDataExportService, AccountClosureService],
  exports: [PersonalDataExportService, AccountClosureService],
})
export class PrivacyModule {}
