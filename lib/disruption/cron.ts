/**
 * Standard five-field cron schedules (minute hour day-of-month month day-of-week) and the
 * `@daily`-style macros, evaluated in UTC as Karpenter's budget schedules are (robfig/cron's
 * standard parser): names such as `mon-fri` and `jan`, ranges, lists and steps; when both
 * day fields are restricted a day matching either runs, as in cron.
 */

interface Field {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MINUTE: Field = { min: 0, max: 59 };
const HOUR: Field = { min: 0, max: 23 };
const DAY_OF_MONTH: Field = { min: 1, max: 31 };
const MONTH: Field = {
  min: 1,
  max: 12,
  names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
};
const DAY_OF_WEEK: Field = {
  min: 0,
  max: 6,
  names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
};

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  /** Either day field is `*` (or `?`): then a day must match both, else either. */
  readonly anyDay: boolean;
}

export class CronError extends Error {
  override readonly name = 'CronError';
}

function value(text: string, field: Field, schedule: string): number {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  const number = named >= 0 ? field.min + named : /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(number) || number < field.min || number > field.max)
    throw new CronError(`"${schedule}": "${text}" is not between ${field.min} and ${field.max}`);
  return number;
}

function parseField(
  text: string,
  field: Field,
  schedule: string,
): { set: Set<number>; star: boolean } {
  const set = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new CronError(`"${schedule}": "${part}" has a bad step`);
    let low: number;
    let high: number;
    if (range === '*' || range === '?') {
      star = true;
      [low, high] = [field.min, field.max];
    } else {
      const [first = '', last] = range.split('-');
      low = value(first, field, schedule);
      high =
        last === undefined
          ? stepText === undefined
            ? low
            : field.max
          : value(last, field, schedule);
    }
    if (low > high) throw new CronError(`"${schedule}": "${part}" is an empty range`);
    for (let at = low; at <= high; at += step) set.add(at);
  }
  return { set, star };
}

export function parseCron(schedule: string): CronSchedule {
  const expanded = MACROS[schedule.trim()] ?? schedule.trim();
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5)
    throw new CronError(`"${schedule}" must have five fields or be a macro such as @daily`);
  const [minute = '', hour = '', dom = '', month = '', dow = ''] = fields;
  const days = parseField(dom, DAY_OF_MONTH, schedule);
  const weekdays = parseField(dow, DAY_OF_WEEK, schedule);
  return {
    minutes: parseField(minute, MINUTE, schedule).set,
    hours: parseField(hour, HOUR, schedule).set,
    daysOfMonth: days.set,
    months: parseField(month, MONTH, schedule).set,
    daysOfWeek: weekdays.set,
    anyDay: days.star || weekdays.star,
  };
}

const MINUTE_MS = 60_000;

function dayMatches(schedule: CronSchedule, date: Date): boolean {
  const dom = schedule.daysOfMonth.has(date.getUTCDate());
  const dow = schedule.daysOfWeek.has(date.getUTCDay());
  return schedule.anyDay ? dom && dow : dom || dow;
}

/**
 * The first time the schedule fires strictly after `after` (epoch ms), or undefined if it does
 * not fire up to `limit`. Whole months, days and hours that cannot match are skipped at once.
 */
export function nextFiring(
  schedule: CronSchedule,
  after: number,
  limit: number,
): number | undefined {
  let at = Math.floor(after / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  while (at <= limit) {
    const date = new Date(at);
    if (!schedule.months.has(date.getUTCMonth() + 1)) {
      at = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    } else if (!dayMatches(schedule, date)) {
      at = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
    } else if (!schedule.hours.has(date.getUTCHours())) {
      at = Date.UTC(
        date.getUTCFullYear(),
        date.getUTCMonth(),
        date.getUTCDate(),
        date.getUTCHours() + 1,
      );
    } else if (!schedule.minutes.has(date.getUTCMinutes())) {
      at += MINUTE_MS;
    } else {
      return at;
    }
  }
  return undefined;
}
