package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// JSONStream writes a struct as indented JSON like JSON does, but one
// top-level field, and one element of a top-level slice, at a time: a dump
// of 100 000 partitions never sits in memory twice.
func (p *Printer) JSONStream(v any) error {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != reflect.Struct {
		return p.JSON(v)
	}
	w := bufio.NewWriterSize(p.Out, 64<<10)
	first := true
	w.WriteString("{")
	for i := 0; i < rv.NumField(); i++ {
		f := rv.Type().Field(i)
		name, omitEmpty, ok := jsonName(f)
		if !ok || (omitEmpty && rv.Field(i).IsZero()) {
			continue
		}
		if !first {
			w.WriteString(",")
		}
		first = false
		fmt.Fprintf(w, "\n  %q: ", name)
		if err := writeIndented(w, rv.Field(i)); err != nil {
			return err
		}
	}
	w.WriteString("\n}\n")
	return w.Flush()
}

// writeIndented writes a value at depth one; a non-empty slice goes
// element by element.
func writeIndented(w *bufio.Writer, v reflect.Value) error {
	if v.Kind() != reflect.Slice || v.IsNil() || v.Len() == 0 {
		return marshalInto(w, v.Interface(), "  ")
	}
	w.WriteString("[")
	var buf []byte
	for i := 0; i < v.Len(); i++ {
		if i > 0 {
			w.WriteString(",")
		}
		w.WriteString("\n    ")
		if a, ok := asAppender(v.Index(i)); ok {
			buf = a.AppendIndentedJSON(buf[:0], "    ")
			w.Write(buf)
			continue
		}
		if err := marshalInto(w, v.Index(i).Interface(), "    "); err != nil {
			return err
		}
	}
	w.WriteString("\n  ]")
	return nil
}

// IndentedJSONAppender is a type that writes its own JSON, exactly as
// encoding/json's indenting encoder would (two-space indent, no HTML
// escaping, no trailing newline): for the elements printed by the
// hundred thousand.
type IndentedJSONAppender interface {
	AppendIndentedJSON(dst []byte, prefix string) []byte
}

func asAppender(v reflect.Value) (IndentedJSONAppender, bool) {
	if v.CanAddr() {
		v = v.Addr()
	}
	a, ok := v.Interface().(IndentedJSONAppender)
	return a, ok
}

func marshalInto(w *bufio.Writer, v any, prefix string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(bytes.TrimRight(buf.Bytes(), "\n"))
	return err
}

func jsonName(f reflect.StructField) (name string, omitEmpty, ok bool) {
	if !f.IsExported() {
		return "", false, false
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, strings.Contains(","+opts+",", ",omitempty,"), true
}
