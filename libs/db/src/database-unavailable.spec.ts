import { QueryFailedError } from 'typeorm';
import { databaseUnavailableReason, DatabaseUnreachableError } from './database-unavailable';

const withCode = (code: string) => Object.assign(new Error('any text at all'), { code });

describe('databaseUnavailableReason', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '08000', '08003', '08006', '53300'])('says %s is the database being away', (code) => {
    expect(databaseUnavailableReason(withCode(code))).toBe(code);
    expect(databaseUnavailableReason(new QueryFailedError('SELECT 1', [], withCode(code)))).toBe(code);
  });

  it('knows the failures pg raises without a code by their class: pool wait, connect timeout, a lost connection', () => {
    expect(databaseUnavailableReason(new DatabaseUnreachableError('CONNECT', new Error('timeout exceeded when trying to connect')))).toBe('CONNECT');
    expect(databaseUnavailableReason(new QueryFailedError('SELECT 1', [], new DatabaseUnreachableError('CONNECTION_LOST') as never))).toBe('CONNECTION_LOST');
    expect(databaseUnavailableReason(new Error('wrapped', { cause: withCode('ECONNREFUSED') }))).toBe('ECONNREFUSED');
  });

  it('leaves every other error alone, whatever its message says', () => {
    for (const code of ['23505', '40001', '22P02', '42P01', 'ERR_HTTP_HEADERS_SENT']) expect(databaseUnavailableReason(withCode(code))).toBeUndefined();
    expect(databaseUnavailableReason(new Error('Connection terminated unexpectedly'))).toBeUndefined();
    expect(databaseUnavailableReason(new Error('ECONNREFUSED 57P01'))).toBeUndefined();
    expect(databaseUnavailableReason(null)).toBeUndefined();
    expect(databaseUnavailableReason('57P01')).toBeUndefined();
  });
});
