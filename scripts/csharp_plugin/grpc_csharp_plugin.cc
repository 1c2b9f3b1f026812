// protoc plugin that writes C# gRPC client and server stubs (*Grpc.cs).
//
// Debian 12 ships no grpc_csharp_plugin binary, but the C# service generator
// of gRPC 1.51 is compiled into libgrpc_plugin_support.so. This file is the
// small executable around it: protoc runs it as --plugin=protoc-gen-grpc and
// passes the options given in --grpc_opt.
//
// Options (comma-separated): no_client, no_server, internal_access,
// base_namespace=NS (write files into folders that follow the C# namespace
// below NS, as protoc's own --csharp_opt=base_namespace does).

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/compiler/code_generator.h>
#include <google/protobuf/compiler/csharp/csharp_names.h>
#include <google/protobuf/compiler/plugin.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream.h>

// libgrpc_plugin_support exports this function, but Debian's libgrpc-dev does
// not ship its header (src/compiler/csharp_generator.h in the gRPC sources),
// so it is declared here with the signature of gRPC 1.51.
namespace grpc_csharp_generator {
std::string GetServices(const google::protobuf::FileDescriptor* file,
                        bool generate_client, bool generate_server,
                        bool internal_access);
}  // namespace grpc_csharp_generator

namespace {

constexpr char kOutputSuffix[] = "Grpc.cs";

class CSharpGrpcGenerator : public google::protobuf::compiler::CodeGenerator {
 public:
  bool Generate(const google::protobuf::FileDescriptor* file,
                const std::string& parameter,
                google::protobuf::compiler::GeneratorContext* context,
                std::string* error) const override {
    std::vector<std::pair<std::string, std::string>> options;
    google::protobuf::compiler::ParseGeneratorParameter(parameter, &options);

    bool generate_client = true;
    bool generate_server = true;
    bool internal_access = false;
    bool generate_directories = false;
    std::string base_namespace;
    for (const auto& option : options) {
      if (option.first == "no_client") {
        generate_client = false;
      } else if (option.first == "no_server") {
        generate_server = false;
      } else if (option.first == "internal_access") {
        internal_access = true;
      } else if (option.first == "base_namespace") {
        generate_directories = true;
        base_namespace = option.second;
      } else {
        *error = "unknown option '" + option.first +
                 "' (expected no_client, no_server, internal_access or "
                 "base_namespace=NS)";
        return false;
      }
    }

    std::string code = grpc_csharp_generator::GetServices(
        file, generate_client, generate_server, internal_access);
    if (code.empty()) {
      return true;  // The file declares no service, so it gets no stub file.
    }

    std::string file_name = google::protobuf::compiler::csharp::GetOutputFile(
        file, kOutputSuffix, generate_directories, base_namespace, error);
    if (file_name.empty()) {
      return false;
    }

    std::unique_ptr<google::protobuf::io::ZeroCopyOutputStream> output(
        context->Open(file_name));
    google::protobuf::io::CodedOutputStream coded_output(output.get());
    coded_output.WriteRaw(code.data(), static_cast<int>(code.size()));
    return true;
  }
};

}  // namespace

int main(int argc, char* argv[]) {
  CSharpGrpcGenerator generator;
  return google::protobuf::compiler::PluginMain(argc, argv, &generator);
}
