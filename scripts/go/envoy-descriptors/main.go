// Command envoy-descriptors writes every protobuf file descriptor registered by the Envoy API of
// go-control-plane (pinned to the Envoy release Gatehouse runs) as one FileDescriptorSet, in
// dependency order, on standard output. Gatehouse loads it with @bufbuild/protobuf to encode and
// check xDS resources with the exact types of that Envoy release.
package main

import (
	"os"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

func main() {
	set := &descriptorpb.FileDescriptorSet{}
	seen := map[string]bool{}
	var visit func(fd protoreflect.FileDescriptor)
	visit = func(fd protoreflect.FileDescriptor) {
		if seen[fd.Path()] {
			return
		}
		seen[fd.Path()] = true
		imports := fd.Imports()
		for i := 0; i < imports.Len(); i++ {
			visit(imports.Get(i).FileDescriptor)
		}
		set.File = append(set.File, protodesc.ToFileDescriptorProto(fd))
	}
	protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		visit(fd)
		return true
	})
	out, err := proto.MarshalOptions{Deterministic: true}.Marshal(set)
	if err != nil {
		os.Stderr.WriteString("envoy-descriptors: " + err.Error() + "\n")
		os.Exit(1)
	}
	if _, err := os.Stdout.Write(out); err != nil {
		os.Exit(1)
	}
}
