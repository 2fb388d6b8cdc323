import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ['.next/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.data/**', 'next-env.d.ts'],
  },
  {
    // The product never knows it is talking to the simulator.
    files: ['app/**', 'components/**', 'lib/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/sim/**', '@/sim/**'], message: 'The product must not import the simulator.' }] },
      ],
    },
  },
  {
    // The simulator stands in for AWS and Kubernetes: it shares no code with the product it checks, so the two can
    // disagree and a test can see it. Its tests may drive the product against it.
    files: ['sim/**'],
    ignores: ['sim/**/*.test.ts', 'sim/**/*.itest.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/lib/**', '@/lib/**', '**/components/**', '@/components/**', '**/app/**', '@/app/**'],
              message: 'The simulator must not import the product.',
            },
          ],
        },
      ],
    },
  },
];

export default config;
