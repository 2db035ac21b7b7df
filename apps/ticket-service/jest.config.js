module.exports = {
  displayName: 'ticket-service',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/ticket-service',
};
