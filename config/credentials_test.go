package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCredentials(t *testing.T) {
	tests := []struct {
		in      string
		want    Credentials
		wantErr string
	}{
		{in: "kafka:s3cret", want: Credentials{User: "kafka", Password: "s3cret"}},
		{in: "kafka:pass:with:colons", want: Credentials{User: "kafka", Password: "pass:with:colons"}},
		{in: "kafka: spaced pw ", want: Credentials{User: "kafka", Password: " spaced pw "}},
		{in: "kafka:s3cret\r\n", want: Credentials{User: "kafka", Password: "s3cret"}},
		{in: "kafka:", want: Credentials{User: "kafka"}},
		{in: "", wantErr: "empty: want user:password"},
		{in: "kafkas3cret", wantErr: "want user:password, found no colon"},
		{in: ":s3cret", wantErr: "want user:password, found an empty user"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseCredentials(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("got %v, want error %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %#v, want user %q", got, tc.want.User)
			}
			if got.Password != tc.want.Password {
				t.Errorf("password differs") // never print it
			}
		})
	}
}

func TestReadAuthFile(t *testing.T) {
	tests := []struct {
		name      string
		content   string
		mode      os.FileMode
		want      Credentials
		wantErr   string
		wantLoose bool
	}{
		{name: "private", content: "kafka:s3cret\n", mode: 0o600, want: Credentials{User: "kafka", Password: "s3cret"}},
		{name: "CRLF and more lines", content: "kafka:s3cret\r\nsecond:line\n", mode: 0o400, want: Credentials{User: "kafka", Password: "s3cret"}},
		{name: "no newline", content: "kafka:s3cret", mode: 0o600, want: Credentials{User: "kafka", Password: "s3cret"}},
		{name: "group readable", content: "kafka:s3cret\n", mode: 0o640, want: Credentials{User: "kafka", Password: "s3cret", LooseMode: true}},
		{name: "world readable", content: "kafka:s3cret\n", mode: 0o604, want: Credentials{User: "kafka", Password: "s3cret", LooseMode: true}},
		{name: "empty", content: "", mode: 0o600, wantErr: "empty: want user:password"},
		{name: "no colon", content: "s3cret\n", mode: 0o600, wantErr: "want user:password, found no colon"},
		{name: "empty user", content: ":s3cret\n", mode: 0o600, wantErr: "want user:password, found an empty user"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "zk-auth")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}
			got, err := ReadAuthFile(path)
			if tc.wantErr != "" {
				want := "auth file " + path + ": " + tc.wantErr
				if err == nil || !strings.HasPrefix(err.Error(), want) {
					t.Fatalf("got %v, want %q", err, want)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Errorf("error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %#v (password equal: %v), want %#v", got, got.Password == tc.want.Password, tc.want)
			}
		})
	}
}

func TestReadAuthFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope")
	_, err := ReadAuthFile(path)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("got %v, want fs.ErrNotExist naming %s", err, path)
	}
}

func TestCredentialsHidePassword(t *testing.T) {
	c := Credentials{User: "kafka", Password: "s3cret"}
	for _, format := range []string{"%v", "%s", "%+v", "%#v", "%q"} {
		got := fmt.Sprintf(format, c)
		if strings.Contains(got, "s3cret") {
			t.Errorf("%s shows the password: %s", format, got)
		}
	}
	if got := c.String(); got != "digest:kafka:***" {
		t.Errorf("String() = %q", got)
	}
	if got := fmt.Sprint([]Credentials{c}); got != "[digest:kafka:***]" {
		t.Errorf("in a slice: %q", got)
	}
}
