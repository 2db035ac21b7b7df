module.exports = {
  displayName: 'user-directory',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/user-directory',
};
