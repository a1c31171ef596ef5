/** A satisfaction figure: the mean rating with its count and the share of 4 and 5 ratings. */
export interface SatisfactionFigure {
  ratings: number;
  mean: number | null;
  highShare: number | null;
}

/** Rounds the sums the database returns into the published figure (mean to 2 places, share to 4). */
export function satisfactionFigure(ratings: number, scoreSum: number, highCount: number): SatisfactionFigure {
  if (ratings === 0) return { ratings: 0, mean: null, highShare: null };
  return { ratings, mean: Math.round((scoreSum / ratings) * 100) / 100, highShare: Math.round((highCount / ratings) * 10_000) / 10_000 };
}

/** First day (YYYY-MM-01) of the month of an ISO date. */
export function monthOf(date: string): string {
  return `${date.slice(0, 7)}-01`;
}
