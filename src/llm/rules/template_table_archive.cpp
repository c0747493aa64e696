// Archives and compression: tar (gzip, bzip2, xz), zip, gzip, bzip2, xz;
// create, extract, list, exclude.
#include "llm/rules/template_table.h"

namespace cmdai::llm::rules {
namespace {

#define CMDAI_TAR ".tar,.tar.gz,.tgz,.tar.bz2,.tbz2,.tbz,.tar.xz,.txz,.tar.zst"
#define CMDAI_NOT_EXTRACT "!extract|list|content|inside|decompress|unzip|untar|gunzip|what's|view"

// clang-format off
constexpr TemplateRow k_rows[] = {
  {"archive.tar_gz", "archive", "compress|tar|tarball|tar.gz|targz|tgz|gzip|backup ?directory|up|make|create|into|of|file|everything|recursive* " CMDAI_NOT_EXTRACT "|xz|bz2|bzip2|bzip|tar.bz2|tar.xz|zip|exclude|excluding|without|except|container|docker|image",
   "tar -czf %{archive:.tar.gz} %{target}", "",
   "Creates the gzip-compressed archive %{archive:.tar.gz} from %{target}."},
  {"archive.tar_bz2", "archive", "bz2|bzip2|bzip|tar.bz2|tbz ?compress|tar|make|create|of|directory|archive " CMDAI_NOT_EXTRACT,
   "tar -cjf %{archive:.tar.bz2} %{target}", "",
   "Creates the bzip2-compressed archive %{archive:.tar.bz2} from %{target}."},
  {"archive.tar_xz", "archive", "xz|tar.xz|txz|lzma ?compress|tar|make|create|of|directory|archive " CMDAI_NOT_EXTRACT,
   "tar -cJf %{archive:.tar.xz} %{target}", "",
   "Creates the xz-compressed archive %{archive:.tar.xz} from %{target}."},
  {"archive.tar_plain", "archive", "tar|tarball uncompressed|without|plain|no ?compression|compress|archive|create|make " CMDAI_NOT_EXTRACT,
   "tar -cf %{archive:.tar} %{target}", "",
   "Creates the uncompressed archive %{archive:.tar} from %{target}."},
  {"archive.tar_exclude", "archive", "compress|tar|tarball|archive|backup|zip exclude|excluding|without|except|skip*|ignor* ?directory|up|create|make|of " CMDAI_NOT_EXTRACT,
   "tar -czf %{archive:.tar.gz} --exclude=%{'quoted|'after:exclude,excluding,without,except,skipping,ignoring,skip,ignore} %{target}", "",
   "Creates %{archive:.tar.gz} from %{target}, leaving out anything named %{quoted|after:exclude,excluding,without,except,skipping,ignoring,skip,ignore}."},
  {"archive.zip_dir", "archive", "zip ?directory|compress|create|make|archive|into|recursive*|up " CMDAI_NOT_EXTRACT "|tar|gzip|exclude $path",
   "zip -r %{archive:.zip} %{target}", "",
   "Creates the zip archive %{archive:.zip} from %{target} and everything in it."},
  {"archive.zip_target", "archive", "zip ?directory|compress|create|make|archive|up " CMDAI_NOT_EXTRACT "|tar|gzip|exclude|into",
   "zip -r %{archive:.zip} %{target}", "",
   "Creates the zip archive %{archive:.zip} from %{target} and everything in it."},
  {"archive.zip_files", "archive", "zip|compress|archive|add into|to|in|together|create ?file|and|archive " CMDAI_NOT_EXTRACT,
   "zip %{file_ext:.zip} %{files_not:.zip}", "",
   "Creates (or adds to) %{file_ext:.zip} with %{files_not:.zip}."},
  {"archive.zip_exclude", "archive", "zip exclude|excluding|without|except|skip* ?directory|compress|create|make|of|recursive*",
   "zip -r %{archive:.zip} %{target} -x %{'quoted|'after:exclude,excluding,without,except,skipping,skip}", "",
   "Creates %{archive:.zip} from %{target}, leaving out files matching the pattern."},
  {"archive.extract_tar", "archive", "extract|untar|decompress|open|unzip ?archive|file|tarball|here|all|content|everything !list|view|only|single|member",
   "tar -xf %{file_ext:" CMDAI_TAR "}", "",
   "Extracts %{file_ext:" CMDAI_TAR "} into the current directory (tar detects the compression)."},
  {"archive.extract_tar_to", "archive", "extract|untar|decompress|unzip|unpack $path ?archive|file|into|to|in|directory|tarball",
   "tar -xf %{file_ext:" CMDAI_TAR "} -C %{path}", "",
   "Extracts %{file_ext:" CMDAI_TAR "} into %{path} (which must exist)."},
  {"archive.extract_member", "archive", "extract|get|pull|restore only|single|member|just|particular ?file|from|out",
   "tar -xf %{file_ext:" CMDAI_TAR "} %{file_not:" CMDAI_TAR "|'after:only,just}", "",
   "Extracts only %{file_not:" CMDAI_TAR "|after:only,just} from %{file_ext:" CMDAI_TAR "}."},
  {"archive.list_tar", "archive", "list|content|inside|what's|what|view|peek|look|find ?archive|file|tarball|in|tar !extract",
   "tar -tvf %{file_ext:" CMDAI_TAR "}", "",
   "Lists the files inside %{file_ext:" CMDAI_TAR "} without extracting them."},
  {"archive.unzip", "archive", "unzip|extract|decompress|open|unpack ?file|archive|here|all|content|everything !list|view|only|single",
   "unzip %{file_ext:.zip}", "",
   "Extracts %{file_ext:.zip} into the current directory."},
  {"archive.unzip_to", "archive", "unzip|extract|decompress|unpack $path ?into|to|in|directory|file",
   "unzip %{file_ext:.zip} -d %{path}", "",
   "Extracts %{file_ext:.zip} into %{path}."},
  {"archive.list_zip", "archive", "list|content|inside|what's|what|view|peek|look ?archive|file|in|zip !extract",
   "unzip -l %{file_ext:.zip}", "",
   "Lists the files inside %{file_ext:.zip} without extracting them."},
  {"archive.test_zip", "archive", "test|verify|check|corrupt* ?archive|integrity|zip",
   "unzip -t %{file_ext:.zip}", "",
   "Tests %{file_ext:.zip} for damage without extracting it."},
  {"archive.gzip", "archive", "gzip|compress ?file|with|using !tar|directory|tarball|extract|decompress|gunzip $file",
   "gzip %{file_not:.gz,.tgz,.zip}", "",
   "Compresses %{file_not:.gz,.tgz,.zip} to %{file_not:.gz,.tgz,.zip}.gz (the original is replaced)."},
  {"archive.gzip_keep", "archive", "gzip|compress keep|preserve|leave ?original|file|with $file",
   "gzip -k %{file_not:.gz}", "",
   "Compresses %{file_not:.gz} to %{file_not:.gz}.gz and keeps the original."},
  {"archive.gunzip", "archive", "gunzip|decompress|extract|uncompress|unzip|unpack ?file|gz",
   "gunzip %{file_ext:.gz}", "",
   "Decompresses %{file_ext:.gz} (the .gz file is replaced by its content)."},
  {"archive.bzip2", "archive", "bzip2|bzip|bz2 ?compress|file|with|using !extract|decompress|tar|directory $file",
   "bzip2 %{file_not:.bz2}", "",
   "Compresses %{file_not:.bz2} to %{file_not:.bz2}.bz2."},
  {"archive.bunzip2", "archive", "bunzip2|decompress|extract|uncompress|unpack|unzip ?file|bz2|bzip2",
   "bunzip2 %{file_ext:.bz2}", "",
   "Decompresses %{file_ext:.bz2}."},
  {"archive.xz", "archive", "xz|lzma ?compress|file|with|using !extract|decompress|unxz|tar|directory $file",
   "xz %{file_not:.xz}", "",
   "Compresses %{file_not:.xz} to %{file_not:.xz}.xz."},
  {"archive.unxz", "archive", "unxz|decompress|extract|uncompress|unpack ?file|xz",
   "unxz %{file_ext:.xz}", "",
   "Decompresses %{file_ext:.xz}."},
  {"archive.zstd", "archive", "zstd|zst ?compress|file|with|using !extract|decompress $file",
   "zstd %{file_not:.zst}", "",
   "Compresses %{file_not:.zst} with zstd."},
  {"archive.unzstd", "archive", "unzstd|decompress|extract|uncompress ?file|zst|zstd",
   "zstd -d %{file_ext:.zst}", "",
   "Decompresses %{file_ext:.zst}."},
  {"archive.7z_extract", "archive", "extract|decompress|unpack|open|unzip ?7z|7zip|file|archive",
   "7z x %{file_ext:.7z}", "",
   "Extracts %{file_ext:.7z} with 7-Zip."},
  {"archive.rar_extract", "archive", "extract|decompress|unpack|open|unrar ?rar|file|archive",
   "unrar x %{file_ext:.rar}", "",
   "Extracts %{file_ext:.rar}."},
  {"archive.zcat", "archive", "read|view|cat|content|print|open ?without|extract*|decompress* !grep|find|search",
   "zcat %{file_ext:.gz}", "gzcat %{file_ext:.gz}",
   "Prints the uncompressed content of %{file_ext:.gz} without unpacking it on disk."},
  {"archive.zgrep", "archive", "grep|find|search|contain* ?inside|for|compressed|log|file|gz|gzipped",
   "zgrep %{'quoted|'after:for,grep,containing,contain} %{file_ext:.gz}", "",
   "Searches the compressed %{file_ext:.gz} for the text without unpacking it."},
  {"archive.tar_add", "archive", "add|append file|to|into ?archive|tar|existing $file",
   "tar -rf %{file_ext:.tar} %{file_not:" CMDAI_TAR "}", "",
   "Appends %{file_not:" CMDAI_TAR "} to the uncompressed archive %{file_ext:.tar}."},
};
// clang-format on

#undef CMDAI_TAR
#undef CMDAI_NOT_EXTRACT

}  // namespace

std::span<const TemplateRow> archive_templates() { return k_rows; }

}  // namespace cmdai::llm::rules
