/**
 * The times a sample may carry. Containers, and cgroup memory accounting, are younger than the
 * year 2000: an earlier time is a clock that was never set (1970) or another column read as a
 * time. A time more than a day past this machine's clock cannot have been measured yet (two
 * hosts' clocks may disagree a little, never by a day).
 */
export const EARLIEST_MS = Date.UTC(2000, 0, 1);
export const FUTURE_SLACK_MS = 24 * 3600 * 1000;
