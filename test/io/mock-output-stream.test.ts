import { describe, expect, test } from 'vitest';
import { BufferOutputStream, MockOutputStream } from '../../src/index.js';
import { encode } from '../helpers.js';

describe('MockOutputStream', () => {
  test('records the same size as a BufferOutputStream (PyArrow test_mock_output_stream)', () => {
    const val = encode('dataabcdef');
    const mock = new MockOutputStream();
    const real = new BufferOutputStream();
    for (let i = 0; i < 1000; i++) {
      mock.writeSync(val);
      real.writeSync(val);
    }
    expect(mock.sizeSync()).toBe(real.getValue().size);
    expect(mock.seekable()).toBe(false);
  });
});
