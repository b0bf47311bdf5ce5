// Package dynamostore is the outcome.Store of the deployed functions: one
// DynamoDB table, partition key pk (the event ID) and sort key sk (rule and
// target), written only with conditional PutItem and UpdateItem.
//
// A claim is a PutItem on condition attribute_not_exists(pk); a take-over and
// a record are UpdateItems on condition that the claim's token is the one
// expected. Every conditional write asks for the item it failed on
// (ReturnValuesOnConditionCheckFailure ALL_OLD), so the functions need no
// read permission and no read: the answer of a failed condition says who
// holds the key. Items expire through the table's TTL attribute.
package dynamostore
