import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches } from 'class-validator';

/** A calendar date like 2026-12-10 that exists (2026-02-30 does not); the message names the field. */
export const IsCalendarDate = (field: string) =>
  applyDecorators(
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: `${field} must be a date like 2026-12-10` }),
    IsISO8601({ strict: true }, { message: `${field} must be a valid date` }),
  );

/** An instant with its offset (2026-12-12T14:00:00+08:00 or …Z), never a local time that could mean anything. */
export const IsInstant = (field: string) =>
  applyDecorators(
    IsISO8601({ strict: true }, { message: `${field} must be an ISO 8601 instant with an offset` }),
    Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: `${field} must be an ISO 8601 instant with an offset` }),
  );
