// How npm start shows the services' log lines: on a terminal, human-readable (pino-pretty),
// each line behind its service's coloured label, with ids cut to 8 characters; piped (compose,
// CI, a file), the JSON lines exactly as the services wrote them.
import pinoPretty from 'pino-pretty';

const SHORT_ID_FIELDS = ['correlationId', 'eventId', 'causationId', 'orderId'];
const shortId = (value) => (typeof value === 'string' ? value.slice(0, 8) : String(value));

/** Returns `(line) => text` for one service's output. */
export function logLineFormatter({ pretty }) {
  if (!pretty) return (line) => line;
  const prettify = pinoPretty.prettyFactory({
    colorize: true,
    // The label in front already names the service; pid and hostname say nothing locally.
    ignore: 'pid,hostname,service,req,res,responseTime',
    translateTime: 'HH:MM:ss.l',
    singleLine: true,
    customPrettifiers: Object.fromEntries(SHORT_ID_FIELDS.map((field) => [field, shortId])),
  });
  return (line) => {
    if (!line.startsWith('{')) return line;
    try {
      return prettify(JSON.parse(line)).trimEnd();
    } catch {
      return line;
    }
  };
}
