import { Matches } from 'class-validator';

/** Region and branch codes: short, stable, safe in URLs and files. */
export const IsStableCode = () => Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code may hold 1-32 letters, digits, "_" or "-"' });
