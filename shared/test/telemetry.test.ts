import { createLogger } from '../src/observability/telemetry';
import { captureOutput } from './support/capture-output';

describe('createLogger', () => {
  it('never logs the values of the usual sensitive keys, nor of the ones the service adds, whatever their case', async () => {
    const logger = createLogger('test', { logLevel: 'INFO', sensitiveKeys: ['Stripe-Signature'] });
    const { written } = await captureOutput('stdout', () =>
      logger.info('headers', { Authorization: 'Bearer abc.def.ghi', 'stripe-signature': 't=1,v1=deadbeef', clientSecret: 'pi_1_secret_2', harmless: 'visible' }),
    );
    expect(written).toContain('visible');
    for (const value of ['abc.def.ghi', 'v1=deadbeef', 'pi_1_secret_2']) expect(written).not.toContain(value);
    const plain = createLogger('test', { logLevel: 'INFO' });
    expect((await captureOutput('stdout', () => plain.info('h', { 'stripe-signature': 'shown-without-the-option' }))).written).toContain('shown-without-the-option');
  });

  it('redacts the secret shapes the service names, inside any string', async () => {
    const logger = createLogger('test', { logLevel: 'INFO', redactPatterns: [{ pattern: /\bkey_[a-z0-9]{6,}/g, replacement: 'key_[REDACTED]' }] });
    const { written } = await captureOutput('stderr', () => logger.error('call failed', new Error('denied for key_abcdef123456 at host')));
    expect(written).toContain('key_[REDACTED]');
    expect(written).not.toContain('abcdef123456');
  });
});
