import { isUuid } from './uuid.js';

describe('isUuid', () => {
  it('accepts canonical UUIDs of any version and case, and nothing else', () => {
    expect(['7d3c1f8e-2b4a-4c5d-9e6f-0a1b2c3d4e5f', '7D3C1F8E-2B4A-4C5D-9E6F-0A1B2C3D4E5F', 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'].map(isUuid)).toEqual([true, true, true]);
    expect(['7d3c1f8e2b4a4c5d9e6f0a1b2c3d4e5f', '7d3c1f8e-2b4a-4c5d-9e6f-0a1b2c3d4e5', ' 7d3c1f8e-2b4a-4c5d-9e6f-0a1b2c3d4e5f', 'g7d3c1f8-2b4a-4c5d-9e6f-0a1b2c3d4e5f', 42, null, undefined].map(isUuid)).toEqual([false, false, false, false, false, false, false]);
  });
});
