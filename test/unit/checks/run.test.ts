import { runCode } from '../../support/run-check';

describe('collection errors become error results (runner)', () => {
  it('reports error, naming the call and permission, for checks whose input failed', () => {
    const rs = runCode('ALB004', (s) =>
      s.errors.push({
        source: 'elbv2',
        call: 'DescribeRules',
        affects: ['aws.rules'],
        message: 'User is not authorized',
        code: 'AccessDenied',
        permission: 'elasticloadbalancing:DescribeRules',
      }),
    );
    expect(rs).toEqual([expect.objectContaining({ status: 'error', code: 'ALB004' })]);
    expect(rs[0].message).toContain('DescribeRules');
    expect(rs[0].remediation).toContain('elasticloadbalancing:DescribeRules');
  });
});
