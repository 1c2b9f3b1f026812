#include "vrperception/frames.h"

#include <fstream>
#include <iterator>
#include <sstream>

namespace vrperception {
namespace {

v1::ImageEncoding EncodingFor(PixelFormat format) {
  switch (format) {
    case PixelFormat::kRgba8: return v1::IMAGE_ENCODING_RAW_RGBA8;
    case PixelFormat::kBgra8: return v1::IMAGE_ENCODING_RAW_BGRA8;
    case PixelFormat::kRgb8: return v1::IMAGE_ENCODING_RAW_RGB8;
    case PixelFormat::kGray8: return v1::IMAGE_ENCODING_RAW_GRAY8;
  }
  return v1::IMAGE_ENCODING_UNSPECIFIED;
}

Status Invalid(const std::string& message) {
  return Status(StatusCode::kInvalidArgument, message);
}

}  // namespace

int BytesPerPixel(PixelFormat format) {
  switch (format) {
    case PixelFormat::kRgba8:
    case PixelFormat::kBgra8: return 4;
    case PixelFormat::kRgb8: return 3;
    case PixelFormat::kGray8: return 1;
  }
  return 0;
}

Status PackRawFrame(const PixelBufferView& buffer, v1::ImageFrame* frame) {
  if (buffer.width == 0 || buffer.height == 0) {
    return Invalid("pixel buffer size " + std::to_string(buffer.width) + "x" +
                   std::to_string(buffer.height) +
                   " is invalid: width and height must be > 0");
  }
  const uint64_t row_bytes =
      static_cast<uint64_t>(buffer.width) * BytesPerPixel(buffer.format);
  const uint64_t stride =
      buffer.row_stride_bytes == 0 ? row_bytes : buffer.row_stride_bytes;
  if (stride < row_bytes) {
    return Invalid("row_stride_bytes " + std::to_string(stride) +
                   " is shorter than one row (" + std::to_string(row_bytes) +
                   " bytes for width " + std::to_string(buffer.width) +
                   "); pass 0 for tightly packed rows");
  }
  const uint64_t total = stride * buffer.height;
  if (buffer.data == nullptr || buffer.size_bytes < total) {
    return Invalid("pixel buffer holds " + std::to_string(buffer.size_bytes) +
                   " bytes but row_stride_bytes * height is " +
                   std::to_string(total) + "; pass the whole buffer");
  }

  frame->set_encoding(EncodingFor(buffer.format));
  frame->set_data(reinterpret_cast<const char*>(buffer.data),
                  static_cast<size_t>(total));
  frame->set_width(buffer.width);
  frame->set_height(buffer.height);
  frame->set_row_stride_bytes(stride == row_bytes ? 0u
                                                  : static_cast<uint32_t>(stride));
  frame->set_row_order(buffer.bottom_up ? v1::ROW_ORDER_BOTTOM_UP
                                        : v1::ROW_ORDER_TOP_DOWN);
  return Status::Ok();
}

v1::ImageEncoding SniffImageEncoding(const std::string& bytes) {
  static const unsigned char kJpeg[] = {0xFF, 0xD8, 0xFF};
  static const unsigned char kPng[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (bytes.size() >= sizeof(kJpeg) &&
      bytes.compare(0, sizeof(kJpeg), reinterpret_cast<const char*>(kJpeg),
                    sizeof(kJpeg)) == 0) {
    return v1::IMAGE_ENCODING_JPEG;
  }
  if (bytes.size() >= sizeof(kPng) &&
      bytes.compare(0, sizeof(kPng), reinterpret_cast<const char*>(kPng),
                    sizeof(kPng)) == 0) {
    return v1::IMAGE_ENCODING_PNG;
  }
  return v1::IMAGE_ENCODING_UNSPECIFIED;
}

Status PackEncodedImage(std::string file_bytes, v1::ImageFrame* frame) {
  const v1::ImageEncoding encoding = SniffImageEncoding(file_bytes);
  if (encoding == v1::IMAGE_ENCODING_UNSPECIFIED) {
    return Invalid("image bytes (" + std::to_string(file_bytes.size()) +
                   " bytes) are neither JPEG nor PNG; pack raw pixels with "
                   "PackRawFrame instead");
  }
  frame->set_encoding(encoding);
  frame->set_data(std::move(file_bytes));
  frame->set_width(0);
  frame->set_height(0);
  frame->set_row_stride_bytes(0);
  frame->set_row_order(v1::ROW_ORDER_UNSPECIFIED);
  return Status::Ok();
}

Status ReadFileBytes(const std::string& path, std::string* bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status(StatusCode::kNotFound, "cannot open file '" + path + "'");
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  *bytes = contents.str();
  return Status::Ok();
}

}  // namespace vrperception
