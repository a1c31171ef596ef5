import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';

export class ImportOptionsQuery {
  @ApiPropertyOptional({ enum: ['marc', 'marcxml', 'csv'] })
  @IsOptional()
  @IsIn(['marc', 'marcxml', 'csv'])
  format?: 'marc' | 'marcxml' | 'csv';

  @ApiPropertyOptional({ format: 'uuid', description: 'home branch for holdings without a known branch code' })
  @IsOptional()
  @IsUUID()
  branchId?: string;
}
