module.exports = {
  displayName: 'user-service',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/user-service',
};
