import { toGelf } from './gelf';

describe('GELF from a pino line', () => {
  it('maps message, time, level and the ids an analyst searches by', () => {
    const gelf = toGelf(
      {
        level: 'warn',
        time: '2025-03-01T10:00:00.123Z',
        service: 'billing',
        context: 'RmqEventServer',
        msg: 'OrderPlaced failed (attempt 1 of 5)',
        correlationId: 'c-1',
        eventId: 'e-1',
        eventType: 'OrderPlaced',
        attempts: 1,
      },
      'host-a',
    );
    expect(gelf).toEqual({
      version: '1.1',
      host: 'host-a',
      short_message: 'OrderPlaced failed (attempt 1 of 5)',
      timestamp: 1740823200.123,
      level: 4,
      _level_name: 'warn',
      _service: 'billing',
      _context: 'RmqEventServer',
      _correlation_id: 'c-1',
      _event_id: 'e-1',
      _event_type: 'OrderPlaced',
      _attempts: 1,
    });
  });

  it('puts a stack in full_message, keeps the first line short, and flattens objects to JSON', () => {
    const gelf = toGelf(
      {
        level: 'error',
        time: '2025-03-01T10:00:00.000Z',
        msg: 'unexpected failure\n    at handler (x.ts:1)',
        err: { message: 'boom', stack: 'Error: boom\n    at y.ts:2' },
        req: { method: 'GET', url: '/x' },
        id: 'not-allowed-in-gelf',
      },
      'h',
    );
    expect(gelf.short_message).toBe('unexpected failure');
    expect(gelf.full_message).toBe('Error: boom\n    at y.ts:2');
    expect(gelf.level).toBe(3);
    expect(gelf['_req']).toBe('{"method":"GET","url":"/x"}');
    expect(gelf).not.toHaveProperty('_id');
  });
});
