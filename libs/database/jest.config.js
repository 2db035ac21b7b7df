module.exports = {
  displayName: 'database',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/database',
};
