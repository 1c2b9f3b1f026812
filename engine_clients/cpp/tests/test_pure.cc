// Cases that need no server: shared vectors, backoff, versions, packing.
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_framework.h"
#include "vrperception/backoff.h"
#include "vrperception/client.h"
#include "vrperception/coords.h"
#include "vrperception/frames.h"

namespace {

using nlohmann::json;
using vrperception::coords::Pose;
using vrperception::coords::Quat;
using vrperception::coords::Vec2;
using vrperception::coords::Vec3;
namespace coords = vrperception::coords;
namespace v1 = vrperception::v1;

json LoadVectors() {
  const std::string path = vrtest::args().get("vectors");
  std::ifstream in(path);
  REQUIRE_MSG(in.good(), "cannot open " << path);
  return json::parse(in);
}

Vec3 ToVec3(const json& value) { return {value[0], value[1], value[2]}; }
Vec2 ToVec2(const json& value) { return {value[0], value[1]}; }
Quat ToQuat(const json& value) { return {value[0], value[1], value[2], value[3]}; }

std::string FromHex(const std::string& hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

#define CHECK_VEC3(actual, expected, tolerance) \
  do {                                          \
    const Vec3 a = (actual);                    \
    const Vec3 e = (expected);                  \
    CHECK_NEAR(a.x, e.x, tolerance);            \
    CHECK_NEAR(a.y, e.y, tolerance);            \
    CHECK_NEAR(a.z, e.z, tolerance);            \
  } while (0)

#define CHECK_QUAT(actual, expected, tolerance) \
  do {                                          \
    const Quat a = (actual);                    \
    const Quat e = (expected);                  \
    CHECK_NEAR(a.x, e.x, tolerance);            \
    CHECK_NEAR(a.y, e.y, tolerance);            \
    CHECK_NEAR(a.z, e.z, tolerance);            \
    CHECK_NEAR(a.w, e.w, tolerance);            \
  } while (0)

#define CHECK_VEC2(actual, expected, tolerance) \
  do {                                          \
    const Vec2 a = (actual);                    \
    const Vec2 e = (expected);                  \
    CHECK_NEAR(a.x, e.x, tolerance);            \
    CHECK_NEAR(a.y, e.y, tolerance);            \
  } while (0)

}  // namespace

TEST_CASE(pure, vectors_points_3d) {
  const json vectors = LoadVectors();
  const double tol = vectors["float_tolerance"];
  REQUIRE(!vectors["points_3d"].empty());
  for (const json& item : vectors["points_3d"]) {
    const Vec3 opencv = ToVec3(item["opencv_m"]);
    CHECK_VEC3(coords::OpenCvToUnity(opencv), ToVec3(item["unity_m"]), tol);
    CHECK_VEC3(coords::OpenCvToUnrealCm(opencv), ToVec3(item["unreal_cm"]), tol);
    CHECK_VEC3(coords::UnityToOpenCv(ToVec3(item["unity_m"])), opencv, tol);
    CHECK_VEC3(coords::UnrealCmToOpenCv(ToVec3(item["unreal_cm"])), opencv, tol);
  }
}

TEST_CASE(pure, vectors_rotations) {
  const json vectors = LoadVectors();
  const double tol = vectors["float_tolerance"];
  REQUIRE(!vectors["rotations"].empty());
  for (const json& item : vectors["rotations"]) {
    const Quat opencv = ToQuat(item["opencv"]);
    CHECK_QUAT(coords::OpenCvToUnity(opencv), ToQuat(item["unity"]), tol);
    CHECK_QUAT(coords::OpenCvToUnreal(opencv), ToQuat(item["unreal"]), tol);
    CHECK_QUAT(coords::UnityToOpenCv(ToQuat(item["unity"])), opencv, tol);
    CHECK_QUAT(coords::UnrealToOpenCv(ToQuat(item["unreal"])), opencv, tol);
  }
}

TEST_CASE(pure, vectors_poses) {
  const json vectors = LoadVectors();
  const double tol = vectors["float_tolerance"];
  REQUIRE(!vectors["poses"].empty());
  for (const json& item : vectors["poses"]) {
    const Pose opencv{ToVec3(item["opencv"]["position_m"]),
                      ToQuat(item["opencv"]["rotation"])};
    const Pose unity = coords::OpenCvToUnity(opencv);
    const Pose unreal = coords::OpenCvToUnrealCm(opencv);
    CHECK_VEC3(unity.position, ToVec3(item["unity"]["position_m"]), tol);
    CHECK_QUAT(unity.rotation, ToQuat(item["unity"]["rotation"]), tol);
    CHECK_VEC3(unreal.position, ToVec3(item["unreal"]["position_cm"]), tol);
    CHECK_QUAT(unreal.rotation, ToQuat(item["unreal"]["rotation"]), tol);

    // The converted pose must map the converted point.
    const json& source = item["source_point"];
    const json& target = item["target_point"];
    CHECK_VEC3(coords::Apply(opencv, ToVec3(source["opencv_m"])),
               ToVec3(target["opencv_m"]), tol);
    CHECK_VEC3(coords::Apply(unity, ToVec3(source["unity_m"])),
               ToVec3(target["unity_m"]), tol);
    // Centimetres: the tolerance scales with the unit.
    CHECK_VEC3(coords::Apply(unreal, ToVec3(source["unreal_cm"])),
               ToVec3(target["unreal_cm"]), 100 * tol);

    const Pose back = coords::UnrealCmToOpenCv(unreal);
    CHECK_VEC3(back.position, opencv.position, tol);
    CHECK_QUAT(back.rotation, opencv.rotation, tol);
  }
}

TEST_CASE(pure, vectors_points_2d) {
  const json vectors = LoadVectors();
  const double tol = vectors["float_tolerance"];
  REQUIRE(!vectors["points_2d"].empty());
  for (const json& item : vectors["points_2d"]) {
    const Vec2 normalized = ToVec2(item["normalized"]);
    const double width = item["image_size_px"][0];
    const double height = item["image_size_px"][1];
    CHECK_VEC2(coords::NormalizedToUnityViewport(normalized),
               ToVec2(item["unity_viewport"]), tol);
    CHECK_VEC2(coords::NormalizedToUnityPixels(normalized, width, height),
               ToVec2(item["unity_pixels"]), tol);
    CHECK_VEC2(coords::NormalizedToUnrealUv(normalized), ToVec2(item["unreal_uv"]), tol);
    CHECK_VEC2(coords::NormalizedToUnrealPixels(normalized, width, height),
               ToVec2(item["unreal_pixels"]), tol);
  }
}

TEST_CASE(pure, vectors_frame_packing) {
  const json vectors = LoadVectors();
  REQUIRE(!vectors["frame_packing"].empty());
  for (const json& item : vectors["frame_packing"]) {
    const json& source = item["source"];
    const std::string format = source["pixel_format"];
    const std::string data = FromHex(source["data_hex"]);

    vrperception::PixelBufferView buffer;
    buffer.data = reinterpret_cast<const uint8_t*>(data.data());
    buffer.size_bytes = data.size();
    buffer.format = format == "RGBA8"   ? vrperception::PixelFormat::kRgba8
                    : format == "BGRA8" ? vrperception::PixelFormat::kBgra8
                                        : vrperception::PixelFormat::kRgb8;
    buffer.width = source["width"];
    buffer.height = source["height"];
    buffer.row_stride_bytes = source["row_stride_bytes"];
    buffer.bottom_up = source["bottom_up"];

    v1::ImageFrame frame;
    const vrperception::Status status = vrperception::PackRawFrame(buffer, &frame);
    REQUIRE_MSG(status.ok(), item["name"] << ": " << status.ToString());

    const json& expected = item["frame"];
    v1::ImageEncoding encoding;
    v1::RowOrder row_order;
    REQUIRE(v1::ImageEncoding_Parse(expected["encoding"].get<std::string>(), &encoding));
    REQUIRE(v1::RowOrder_Parse(expected["row_order"].get<std::string>(), &row_order));
    CHECK_MSG(frame.encoding() == encoding, item["name"]);
    CHECK_MSG(frame.row_order() == row_order, item["name"]);
    CHECK_MSG(frame.width() == expected["width"].get<uint32_t>(), item["name"]);
    CHECK_MSG(frame.height() == expected["height"].get<uint32_t>(), item["name"]);
    CHECK_MSG(frame.row_stride_bytes() == expected["row_stride_bytes"].get<uint32_t>(),
              item["name"] << " stride " << frame.row_stride_bytes());
    CHECK_MSG(frame.data() == FromHex(expected["data_hex"]), item["name"]);
  }
}

TEST_CASE(pure, pack_raw_frame_rejects_bad_buffers) {
  const std::string data(24, '\0');
  vrperception::PixelBufferView buffer;
  buffer.data = reinterpret_cast<const uint8_t*>(data.data());
  buffer.size_bytes = data.size();
  buffer.format = vrperception::PixelFormat::kRgba8;
  buffer.width = 3;
  buffer.height = 2;
  v1::ImageFrame frame;

  buffer.row_stride_bytes = 8;  // shorter than 3 * 4 bytes
  vrperception::Status status = vrperception::PackRawFrame(buffer, &frame);
  CHECK(status.code() == vrperception::StatusCode::kInvalidArgument);
  CHECK(status.message().find("row_stride_bytes 8") != std::string::npos);

  buffer.row_stride_bytes = 16;  // needs 32 bytes, has 24
  status = vrperception::PackRawFrame(buffer, &frame);
  CHECK(status.code() == vrperception::StatusCode::kInvalidArgument);
  CHECK(status.message().find("32") != std::string::npos);

  buffer.row_stride_bytes = 0;
  buffer.width = 0;
  status = vrperception::PackRawFrame(buffer, &frame);
  CHECK(status.code() == vrperception::StatusCode::kInvalidArgument);

  buffer.width = 3;
  status = vrperception::PackRawFrame(buffer, &frame);
  CHECK(status.ok());
  CHECK(frame.data().size() == 24u);
  CHECK(frame.row_stride_bytes() == 0u);
}

TEST_CASE(pure, encoded_image_sniffing) {
  const std::string jpeg("\xFF\xD8\xFF\xE0rest", 8);
  const std::string png("\x89PNG\r\n\x1a\nrest", 12);
  CHECK(vrperception::SniffImageEncoding(jpeg) == v1::IMAGE_ENCODING_JPEG);
  CHECK(vrperception::SniffImageEncoding(png) == v1::IMAGE_ENCODING_PNG);
  CHECK(vrperception::SniffImageEncoding("GIF89a") == v1::IMAGE_ENCODING_UNSPECIFIED);

  v1::ImageFrame frame;
  frame.set_width(7);
  frame.set_row_order(v1::ROW_ORDER_BOTTOM_UP);
  CHECK(vrperception::PackEncodedImage(png, &frame).ok());
  CHECK(frame.encoding() == v1::IMAGE_ENCODING_PNG);
  CHECK(frame.width() == 0u);
  CHECK(frame.row_order() == v1::ROW_ORDER_UNSPECIFIED);
  CHECK(vrperception::PackEncodedImage("not an image", &frame).code() ==
        vrperception::StatusCode::kInvalidArgument);
}

TEST_CASE(pure, backoff_schedule) {
  vrperception::BackoffPolicy policy;
  policy.initial_backoff = std::chrono::milliseconds(100);
  policy.max_backoff = std::chrono::milliseconds(1000);
  policy.multiplier = 2.0;
  policy.jitter = 0.2;
  const int64_t expected_ms[] = {100, 200, 400, 800, 1000, 1000};
  for (uint32_t attempt = 0; attempt < 6; ++attempt) {
    CHECK_MSG(vrperception::BackoffDelay(policy, attempt, 0.5).count() ==
                  expected_ms[attempt],
              "attempt " << attempt);
  }
  // Jitter spreads by +/- 20 %.
  CHECK(vrperception::BackoffDelay(policy, 1, 0.0).count() == 160);
  CHECK(vrperception::BackoffDelay(policy, 1, 1.0).count() == 240);
  // Huge attempt numbers stay at the cap.
  CHECK(vrperception::BackoffDelay(policy, 100000, 0.5).count() == 1000);
}

TEST_CASE(pure, semantic_version_parsing) {
  uint32_t major = 9, minor = 9, patch = 9;
  CHECK(vrperception::ParseSemanticVersion("1.0.0", &major, &minor, &patch));
  CHECK(major == 1 && minor == 0 && patch == 0);
  CHECK(vrperception::ParseSemanticVersion("12.3.45-rc1", &major, &minor, &patch));
  CHECK(major == 12 && minor == 3 && patch == 45);
  CHECK(!vrperception::ParseSemanticVersion("1.0", &major, &minor, &patch));
  CHECK(!vrperception::ParseSemanticVersion("v1.0.0", &major, &minor, &patch));
  CHECK(!vrperception::ParseSemanticVersion("1.0.0x", &major, &minor, &patch));
  CHECK(!vrperception::ParseSemanticVersion("", &major, &minor, &patch));
}

TEST_CASE(pure, connect_rejects_empty_endpoint) {
  const auto connected = vrperception::Client::Connect("");
  CHECK(connected.client == nullptr);
  CHECK(connected.status.code() == vrperception::StatusCode::kInvalidArgument);
  CHECK(connected.status.message().find("host:port") != std::string::npos);
}

TEST_CASE(pure, connect_reports_missing_root_cert) {
  vrperception::ClientOptions options;
  options.use_tls = true;
  options.root_cert_pem_path = "/nonexistent/roots.pem";
  const auto connected = vrperception::Client::Connect("127.0.0.1:1", options);
  CHECK(connected.client == nullptr);
  CHECK(connected.status.code() == vrperception::StatusCode::kInvalidArgument);
  CHECK(connected.status.message().find("/nonexistent/roots.pem") != std::string::npos);
}
