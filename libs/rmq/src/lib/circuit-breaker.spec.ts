import { CircuitBreaker } from './circuit-breaker';

const backoff = { initialDelayMs: 500, maxDelayMs: 5_000 };

describe('circuit breaker', () => {
  it('starts closed', () => {
    const breaker = new CircuitBreaker(backoff);
    expect(breaker.state).toBe('closed');
    expect(breaker.reason).toBeUndefined();
  });

  it('opens on the first outage and remembers why and since when', () => {
    const breaker = new CircuitBreaker(backoff);

    expect(breaker.trip('database unreachable: ECONNRESET', 1_000)).toEqual({
      from: 'closed',
      to: 'open',
      reason: 'database unreachable: ECONNRESET',
    });
    expect(breaker.state).toBe('open');
    expect(breaker.reason).toBe('database unreachable: ECONNRESET');
    expect(breaker.since).toBe(1_000);
  });

  it('ignores further outages while open or probing: in-flight failures do not move it', () => {
    const breaker = new CircuitBreaker(backoff);
    breaker.trip('first');

    expect(breaker.trip('second')).toBeUndefined();
    breaker.beginProbe();
    expect(breaker.trip('third')).toBeUndefined();
    expect(breaker.state).toBe('half-open');
  });

  it('closes when a probe succeeds', () => {
    const breaker = new CircuitBreaker(backoff);
    breaker.trip('down');
    expect(breaker.beginProbe()).toMatchObject({ from: 'open', to: 'half-open' });

    expect(breaker.probeSucceeded()).toMatchObject({ from: 'half-open', to: 'closed' });
    expect(breaker.state).toBe('closed');
    expect(breaker.reason).toBeUndefined();
    expect(breaker.since).toBeUndefined();
  });

  it('reopens when a probe fails, with the probe failure as the reason', () => {
    const breaker = new CircuitBreaker(backoff);
    breaker.trip('down', 1_000);
    breaker.beginProbe();

    expect(breaker.probeFailed('still refused')).toEqual({
      from: 'half-open',
      to: 'open',
      reason: 'still refused',
    });
    expect(breaker.reason).toBe('still refused');
    expect(breaker.since).toBe(1_000);
  });

  it('doubles the wait before each probe, up to the cap', () => {
    const breaker = new CircuitBreaker(backoff);
    breaker.trip('down');
    const delays = [breaker.nextProbeDelayMs()];
    for (let i = 0; i < 6; i++) {
      breaker.beginProbe();
      breaker.probeFailed('still down');
      delays.push(breaker.nextProbeDelayMs());
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
  });

  it('keeps backing off when it trips again before any message succeeded', () => {
    const breaker = new CircuitBreaker(backoff);
    breaker.trip('down');
    breaker.beginProbe();
    breaker.probeSucceeded();

    breaker.trip('down again');
    expect(breaker.nextProbeDelayMs()).toBe(1_000);
  });

  it('starts from the first delay again once a message succeeded', () => {
    const breaker = new CircuitBreaker(backoff);
    breaker.trip('down');
    breaker.beginProbe();
    breaker.probeSucceeded();
    breaker.recordSuccess();

    breaker.trip('down again');
    expect(breaker.nextProbeDelayMs()).toBe(500);
  });

  it('refuses transitions that make no sense', () => {
    const breaker = new CircuitBreaker(backoff);
    expect(() => breaker.beginProbe()).toThrow('cannot begin a probe while the circuit is closed');
    expect(() => breaker.probeSucceeded()).toThrow('while the circuit is closed');
  });
});
