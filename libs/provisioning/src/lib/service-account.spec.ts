import { accountOf, databaseOf, vhostOf } from './service-account';

describe('service accounts, read from the URLs a service is given', () => {
  it('decodes the user and the password', () => {
    expect(accountOf('billing', 'amqp://billing:p%40ss%2Fword@rabbitmq:5672/shop')).toEqual({
      service: 'billing',
      username: 'billing',
      password: 'p@ss/word',
    });
  });

  it('reads the vhost, "/" when the URL names none', () => {
    expect(vhostOf('amqp://billing:x@rabbitmq:5672')).toBe('/');
    expect(vhostOf('amqp://billing:x@rabbitmq:5672/')).toBe('/');
    expect(vhostOf('amqp://billing:x@rabbitmq:5672/test-shop')).toBe('test-shop');
    expect(vhostOf('amqp://billing:x@rabbitmq:5672/%2F')).toBe('/');
  });

  it('reads the database, and refuses a URL without one', () => {
    expect(databaseOf('postgres://billing:x@postgres:5432/billing')).toBe('billing');
    expect(() => databaseOf('postgres://billing:x@postgres:5432')).toThrow('names no database');
  });
});
