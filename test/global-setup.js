// The CLI end-to-end tests run the compiled CLI as a real process (kill -9 included): dist/ must be
// current. After `npm test`'s compilation this is a check of a few milliseconds (tools/build.js).
const { buildIfStale } = require('../tools/build');

module.exports = async () => {
  buildIfStale();
};
