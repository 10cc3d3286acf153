/** `Sun Mar 10 09:20:00 UTC 2024`: how `date` and `dig` print a simulated time. */
export function unixDate(ms: number): string {
  const d = new Date(ms);
  const [day, , month] = d.toUTCString().split(' ') as [string, string, string];
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${day.replace(',', '')} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} UTC ${d.getUTCFullYear()}`;
}
