import { failureDelayMs } from './login-throttle.service';

describe('failureDelayMs', () => {
  it('does not slow the first mistake, then doubles up to 2 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(failureDelayMs)).toEqual([0, 250, 500, 1000, 2000, 2000, 2000]);
  });
});
