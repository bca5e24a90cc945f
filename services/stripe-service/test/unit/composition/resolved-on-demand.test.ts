import { Container } from 'inversify';
import { resolvedOnDemand } from '../../../src/composition/compose';

class Used {}
class Unused {}

describe('resolvedOnDemand', () => {
  const container = () => {
    const built: string[] = [];
    const c = new Container({ defaultScope: 'Singleton' });
    c.bind(Used).toDynamicValue(() => (built.push('used'), new Used()));
    c.bind(Unused).toDynamicValue(() => (built.push('unused'), new Unused()));
    return { c, built };
  };

  it('builds nothing until a dependency is read, and then only that one', () => {
    const { c, built } = container();
    const deps = resolvedOnDemand({ used: () => c.get(Used), unused: () => c.get(Unused) });
    expect(built).toEqual([]);
    expect(deps.used).toBeInstanceOf(Used);
    expect(built).toEqual(['used']);
  });

  it('hands out the one instance on every read, the container asked once', () => {
    const { c } = container();
    let asked = 0;
    const deps = resolvedOnDemand({ used: () => (asked++, c.get(Used)) });
    const first = deps.used;
    expect(deps.used).toBe(first);
    expect(c.get(Used)).toBe(first);
    expect(asked).toBe(1);
  });

  it('asks again after a resolution that failed', () => {
    let attempts = 0;
    const deps = resolvedOnDemand({
      flaky: () => {
        attempts += 1;
        if (attempts === 1) throw new Error('not yet');
        return 'ready';
      },
    });
    expect(() => deps.flaky).toThrow('not yet');
    expect(deps.flaky).toBe('ready');
    expect(attempts).toBe(2);
  });
});
