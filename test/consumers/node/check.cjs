// A CommonJS consumer: require() loads the ES module package (Node >= 20.19 and 22.12 load
// ES modules without top-level await through require).
const { BufferReader } = require('nativefile');
const { OSFile } = require('nativefile/node');

const reader = new BufferReader(new TextEncoder().encode('required'));
console.log(JSON.stringify({ read: new TextDecoder().decode(reader.readSync()), osFile: typeof OSFile }));
