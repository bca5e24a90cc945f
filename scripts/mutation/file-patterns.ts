// Stryker's `mutate` patterns (globs, a leading `!` excludes), matched here the way Stryker matches
// them so that a shard, its merge and the CI run agree on which files a pattern names. Only what
// our patterns use: `**` (any folders), `*` and `?` within one path segment.

function toRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      // `**/` matches no folder too, so `a/**/*.ts` names `a/b.ts`.
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:[^/]+/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** `patterns` as one predicate: named by some pattern and excluded by none that follows it. */
export function fileMatcher(patterns: readonly string[]): (file: string) => boolean {
  const rules = patterns.map((pattern) => (pattern.startsWith('!') ? { include: false, regExp: toRegExp(pattern.slice(1)) } : { include: true, regExp: toRegExp(pattern) }));
  return (file) => {
    let included = false;
    for (const rule of rules) if (rule.regExp.test(file)) included = rule.include;
    return included;
  };
}

/** A folder stands for every TypeScript file under it; a glob or a file stays as it is. */
export function shardPatterns(argument: string): string[] {
  return argument
    .split(',')
    .map((pattern) => pattern.trim().replace(/^\.\//, ''))
    .filter((pattern) => pattern.length > 0)
    .map((pattern) => (/[*?]/.test(pattern) || pattern.endsWith('.ts') ? pattern : `${pattern.replace(/\/$/, '')}/**/*.ts`));
}
