// Command fakeaws serves the iamguard fake of IAM, SNS and Secrets Manager
// (package fakeaws) on a loopback address until it is stopped, for
// end-to-end tests that run real Lambda bootstraps against it.
//
//	fakeaws [-addr 127.0.0.1:0] [-seed seed.json] [-record record.json]
//
// It prints the base URL on one line on stdout once it is listening. On
// SIGTERM or SIGINT it writes every call it received and every SNS message
// published, as JSON ({"calls": […], "published": […]}), to the -record
// file if one was given, and exits 0. The seed file's schema is
// fakeaws.Seed.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/iamguard/iamguard/internal/fakeaws"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fakeaws:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends, then writes the record.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("fakeaws", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "loopback `address` to listen on")
	seedFile := fs.String("seed", "", "JSON `file` with the starting state (users, roles, groups, policies, topics, secrets)")
	recordFile := fs.String("record", "", "`file` to write the recorded calls and published messages to on exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	srv := fakeaws.New()
	if *seedFile != "" {
		if err := loadSeed(srv, *seedFile); err != nil {
			return err
		}
	}
	url, err := srv.StartListener(*addr)
	if err != nil {
		return err
	}
	defer srv.Close()
	if _, err := fmt.Fprintln(stdout, url); err != nil {
		return fmt.Errorf("print URL: %w", err)
	}
	<-ctx.Done()
	srv.Close()
	if *recordFile == "" {
		return nil
	}
	return writeRecord(*recordFile, srv.Record())
}

func loadSeed(srv *fakeaws.Server, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("open seed: %w", err)
	}
	defer f.Close()
	seed, err := fakeaws.ReadSeed(f)
	if err != nil {
		return fmt.Errorf("seed %s: %w", name, err)
	}
	if err := srv.Load(seed); err != nil {
		return fmt.Errorf("seed %s: %w", name, err)
	}
	return nil
}

func writeRecord(name string, rec fakeaws.Record) error {
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return fmt.Errorf("encode record: %w", err)
	}
	if err := os.WriteFile(name, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write record: %w", err)
	}
	return nil
}
