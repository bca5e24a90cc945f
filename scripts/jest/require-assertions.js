// A test that checks nothing passes whatever the code does: each one must make at least one
// assertion (expect(…), including .resolves/.rejects and expect.assertions in the test itself).
beforeEach(() => {
  expect.hasAssertions();
});
