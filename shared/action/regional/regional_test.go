package regional

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

type client struct{ region string }

func TestOneClientPerRegion(t *testing.T) {
	built := 0
	c := New(aws.Config{Region: "us-east-1"}, func(_ aws.Config, region string) *client {
		built++
		return &client{region}
	})
	a, b, d := c.Get("eu-west-1"), c.Get("eu-west-1"), c.Get("")
	if a != b || a == d || a.region != "eu-west-1" || d.region != "us-east-1" || built != 2 || c.Len() != 2 {
		t.Errorf("same Region shared %v, default Region %s, %d built, %d kept", a == b, d.region, built, c.Len())
	}
	for i := range 2 * MaxRegions {
		c.Get(fmt.Sprintf("xx-forged-%d", i))
	}
	if c.Len() != MaxRegions {
		t.Errorf("%d clients kept after a flood of Regions, want at most %d", c.Len(), MaxRegions)
	}
}
