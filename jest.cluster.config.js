/** Jest for `npm run test:cluster` only: the real Temporal server and PostgreSQL (not part of npm test). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster-real'],
  testMatch: ['**/*.cluster.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testTimeout: 3_600_000,
  maxWorkers: 1,
  forceExit: true,
};
