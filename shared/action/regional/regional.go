// Package regional keeps one AWS client per Region for the executors whose
// actions act where the event happened: a trail's home Region, a rule's, a
// detector's. A warm function builds each Region's client once.
package regional

import (
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// MaxRegions bounds the clients kept: AWS has about 35 Regions, the rules
// plan only Region-shaped names, but a flood of forged events must not grow
// the map without end. Past it, clients are built and not kept.
const MaxRegions = 64

// Clients builds and keeps one client per Region.
type Clients[C any] struct {
	cfg   aws.Config
	build func(cfg aws.Config, region string) C
	mu    sync.Mutex
	kept  map[string]C
}

// New returns the clients built by build from cfg; build sets the Region.
func New[C any](cfg aws.Config, build func(cfg aws.Config, region string) C) *Clients[C] {
	return &Clients[C]{cfg: cfg, build: build, kept: map[string]C{}}
}

// Get returns the client for region, cfg's own Region when it is empty.
func (c *Clients[C]) Get(region string) C {
	c.mu.Lock()
	defer c.mu.Unlock()
	if region == "" {
		region = c.cfg.Region
	}
	client, ok := c.kept[region]
	if !ok {
		client = c.build(c.cfg, region)
		if len(c.kept) < MaxRegions {
			c.kept[region] = client
		}
	}
	return client
}

// Len returns how many clients are kept.
func (c *Clients[C]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.kept)
}
