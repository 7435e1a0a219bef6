/**
 * The S3 user the test cluster has (test/servers/ceph.ts creates it): shared by the Node
 * tests and the pages, which import this file and nothing Node-only.
 */
export const S3_TEST_CREDENTIALS = {
  accessKeyId: 'NATIVEFILETESTKEY001',
  secretAccessKey: 'nativefile-test-secret-0000000000000000001',
} as const;
