// Package motoserver runs moto's stand-alone server (moto_server, moto
// 5.2.1, Python 3.11) for tests, behind a recording reverse proxy. It is
// test support only: no production code may import it.
//
// What it is for: state for the AWS services iamguard depends on but does
// not fake itself (CloudTrail, EventBridge, Organizations, STS, DynamoDB,
// SQS, as well as IAM and SNS) comes from moto's server, so tests see how
// those services hold state across calls. The project's own fake,
// internal/fakeaws, stays for what moto cannot give: injected faults and
// delays, and AWS wire behaviour that moto lacks or gets wrong (see
// MOTO-NOTES.md for CloudTrail).
//
// Start launches moto_server on a free 127.0.0.1 port, waits until it
// answers and stops it when the test ends. URL is the proxy in front of it:
// every request is forwarded unchanged and recorded as a Call (service from
// the SigV4 credential scope, operation from X-Amz-Target or the Query
// Action, status, and the error code of an error answer). Point an SDK at
// it with AWSConfig, or a process (a Lambda bootstrap under an emulator)
// with Env. Each SDK call is sent once (no retries), so it is recorded
// once. Reset clears the recording and moto's state.
//
// The moto_server command is found on PATH, or named by the environment
// variable IAMGUARD_MOTO_SERVER. Without it, Start skips the test in -short
// mode and fails it otherwise, saying how to install it:
//
//	python3.11 -m pip install 'moto[server]==5.2.1'
//
// What it must never do: listen on, or send to, anything but a loopback
// address (moto_server is started with -H 127.0.0.1, the proxy listens on
// loopback and ignores proxy settings in the environment); read real
// credentials (AWSConfig and Env carry fixed test values); or leave a
// process behind: moto_server runs in its own process group, which is
// terminated, then killed, and reaped when the test ends.
package motoserver
