package diff

import (
	"reflect"
	"testing"

	"github.com/rafka/rafka/cluster"
)

func TestCompareDecodeErrors(t *testing.T) {
	const path = "/config/changes/config_change_manual"
	bad := cluster.ZnodeError{Path: path, Error: "not a sequence number", KafkaBehavior: "rejects"}
	unreadable := cluster.ZnodeError{Path: "/config/users/alice", Error: "zk: not authenticated"}
	side := func(raw map[string][]byte, errs ...cluster.ZnodeError) *Side {
		m := testModel()
		m.Errors = errs
		return NewSide(m, raw)
	}
	garbage := map[string][]byte{path: []byte("garbage")}
	other := map[string][]byte{path: []byte("other garbage")}
	for _, tc := range []struct {
		name string
		a, b *Side
		want []string
	}{
		{"same garbage", side(garbage, bad), side(garbage, bad), []string{}},
		{"appeared", side(nil), side(garbage, bad), []string{"decode-error-appeared " + path + " " + path}},
		{"cleared", side(garbage, bad), side(nil), []string{"decode-error-cleared " + path + " " + path}},
		{"garbage changed", side(garbage, bad), side(other, bad), []string{"undecodable-data-changed " + path + " " + path}},
		{"unreadable is not compared", side(nil, unreadable), side(nil), []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := summary(Compare(tc.a, tc.b)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q; want %q", got, tc.want)
			}
		})
	}

	a, b := side(garbage, bad, unreadable), side(nil, unreadable)
	if len(a.Unreadable) != 1 || a.Unreadable[0] != unreadable {
		t.Errorf("unreadable %+v", a.Unreadable)
	}
	want := []Unreadable{{"a", unreadable.Path, unreadable.Error}, {"b", unreadable.Path, unreadable.Error}}
	if got := Unreadables(a, b); !reflect.DeepEqual(got, want) {
		t.Errorf("Unreadables = %+v; want %+v", got, want)
	}
	d := Compare(a, b)[0]
	if v, ok := d.Before.(decodeErrorValue); !ok || v.KafkaBehavior != "rejects" || d.After != nil {
		t.Errorf("cleared: before %#v after %#v", d.Before, d.After)
	}
}
