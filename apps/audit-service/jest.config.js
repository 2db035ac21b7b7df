module.exports = {
  displayName: 'audit-service',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/audit-service',
};
