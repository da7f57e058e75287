// --format github: workflow commands as GitHub documents them (docs.github.com, "Workflow
// commands for GitHub Actions": data escapes % CR LF; property values also ':' and ',').
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings.js';
import { formatFindingsGithub } from '../../src/report/findings-text.js';

describe('formatFindingsGithub', () => {
  const base = { catalogRoot: '/repo/cat', cwd: '/repo', catalogLabel: 'cat' };

  it('escapes % CR LF in the message and also : and , in properties; plain values stay as they are', () => {
    const findings: Finding[] = [
      {
        rule: 'wave-order',
        severity: 'error',
        environment: 'dev',
        component: 'a',
        message: '100% of it:\r\nline two, done',
        file: 'environments/dev/components/a,b:c/component.yaml',
        line: 3,
        column: 5,
      },
      {
        rule: 'env-parity',
        severity: 'warning',
        environment: 'prod',
        component: 'b',
        message: 'plain message',
        file: 'environments/prod/components/b/component.yaml',
      },
      {
        rule: 'env-parity',
        severity: 'warning',
        environment: 'staging',
        component: 'b',
        message: 'plain message',
        file: 'environments/prod/components/b/component.yaml',
      },
      { rule: 'smoke-image', severity: 'warning', message: 'no file' },
    ];
    expect(formatFindingsGithub(findings, base)).toBe(
      [
        '::warning title=wavegate smoke-image::no file',
        '::error file=cat/environments/dev/components/a%2Cb%3Ac/component.yaml,line=3,col=5,title=wavegate wave-order::[dev] a: 100%25 of it:%0D%0Aline two, done',
        '::warning file=cat/environments/prod/components/b/component.yaml,title=wavegate env-parity::[prod, staging] b: plain message',
        'cat: 1 error, 3 warnings',
        '',
      ].join('\n'),
    );
  });
});
