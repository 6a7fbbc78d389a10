// --date D or --from D --to D, as one list of dates (shared by the commands of the nightly loop).
import { checkRange, eachDay, parseIsoDate, type IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';

export function dateRange(flags: { readonly date?: string; readonly from?: string; readonly to?: string }): IsoDate[] {
  if (flags.date !== undefined) {
    if (flags.from !== undefined || flags.to !== undefined) throw new UsageError('give --date or --from/--to, not both');
    return [parseIsoDate(flags.date, '--date')];
  }
  if (flags.from === undefined || flags.to === undefined) throw new UsageError('give --date D, or --from D and --to D');
  const { from, to } = checkRange(flags.from, flags.to);
  return eachDay(from, to);
}
