import { onFirstUse } from '../src/lazy/on-first-use';

describe('onFirstUse', () => {
  it('loads nothing until asked, then once for every caller, also those asking while it loads', async () => {
    let loads = 0;
    const value = onFirstUse(async () => {
      loads += 1;
      return { load: loads };
    });
    expect(loads).toBe(0);
    const [first, second] = await Promise.all([value(), value()]);
    expect(await value()).toBe(first);
    expect(second).toBe(first);
    expect(loads).toBe(1);
  });

  it('forgets a failed load, thrown or rejected, so the next caller loads again', async () => {
    let loads = 0;
    const value = onFirstUse(() => {
      loads += 1;
      if (loads === 1) throw new Error('module could not load');
      if (loads === 2) return Promise.reject(new Error('still down'));
      return 'loaded';
    });
    await expect(value()).rejects.toThrow('module could not load');
    await expect(value()).rejects.toThrow('still down');
    expect(await value()).toBe('loaded');
    expect(await value()).toBe('loaded');
    expect(loads).toBe(3);
  });
});
