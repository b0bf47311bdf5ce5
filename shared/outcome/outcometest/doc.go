// Package outcometest holds an in-memory outcome.Store for tests, with the
// conditional semantics of the DynamoDB store.
package outcometest
