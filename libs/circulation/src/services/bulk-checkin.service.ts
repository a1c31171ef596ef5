import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@lib/errors';
import { isPgError, PgErrorCode } from '@lib/db';
import { NetworkError } from '@lib/network';
import { CheckinResult } from '../dto/circulation.dto';
import { CirculationError } from '../circulation.errors';
import { CirculationService } from './circulation.service';

/** One copy of a cart: its check-in, or what stopped it (anything thrown; the transport words it). */
export type CheckinManyItem = ({ ok: true } & CheckinResult) | { ok: false; barcode: string; error: unknown };

/** Copies checked in at once per cart: they are independent rows, but a desk should not take the whole pool. */
const PARALLEL_COPIES = 4;
/** A copy whose transaction lost a deadlock or serialisation race is tried again (it was rolled back). */
const ATTEMPTS = 3;

/**
 * A cart of returns at a desk: every copy goes through `CirculationService.checkin` in a transaction
 * of its own, a few at a time, and the answers come back in the order given. One copy failing
 * (unknown barcode, a branch outside shared circulation …) does not stop or undo the others. A barcode
 * repeated in the list is checked in once, at its first entry; the repeats answer CHECKIN_REPEATED
 * without touching the database (scanned twice, not returned twice).
 */
@Injectable()
export class BulkCheckinService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly circulation: CirculationService,
  ) {}

  async checkinMany(input: { barcodes: readonly string[]; branchId: string; stopId?: string }, parallel = PARALLEL_COPIES): Promise<CheckinManyItem[]> {
    // A missing branch (or a stop not the branch's) is the request's fault, not each copy's: one error rather than a list of them.
    const [found]: Array<{ stop: string | null }> = await this.dataSource.query(
      `SELECT (SELECT id FROM mobile_stop WHERE id = $2::uuid AND branch_id = b.id) AS stop FROM branch b WHERE b.id = $1`,
      [input.branchId, input.stopId ?? null],
    );
    if (!found) throw NetworkError.BRANCH_NOT_FOUND({ id: input.branchId, field: 'branchId' });
    if (input.stopId && !found.stop) throw NetworkError.MOBILE_STOP_NOT_AT_BRANCH({ stopId: input.stopId, field: 'stopId' });
    const firstAt = new Map<string, number>();
    const results: CheckinManyItem[] = new Array(input.barcodes.length);
    const todo: number[] = [];
    input.barcodes.forEach((barcode, i) => {
      const first = firstAt.get(barcode);
      if (first === undefined) {
        firstAt.set(barcode, i);
        todo.push(i);
      } else {
        results[i] = { ok: false, barcode, error: CirculationError.CHECKIN_REPEATED({ barcode, field: `barcodes.${i}`, sameAs: `barcodes.${first}` }) };
      }
    });
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const i = todo[next++];
        results[i] = await this.one(input.barcodes[i], input.branchId, input.stopId, i);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, todo.length)) }, worker));
    return results;
  }

  private async one(barcode: string, branchId: string, stopId: string | undefined, index: number): Promise<CheckinManyItem> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, ...(await this.circulation.checkin({ barcode, branchId, stopId })) };
      } catch (error) {
        const race = isPgError(error, PgErrorCode.DeadlockDetected) || isPgError(error, PgErrorCode.SerializationFailure);
        if (race && attempt < ATTEMPTS) continue;
        return { ok: false, barcode, error: inList(error, index) };
      }
    }
  }
}

/** An error that names the `barcode` field names this entry of the list instead (barcodes.7). */
function inList(error: unknown, index: number): unknown {
  if (!(error instanceof DomainError) || error.details.field !== 'barcode') return error;
  return new DomainError(error.code, error.definition, { ...error.details, field: `barcodes.${index}` });
}
