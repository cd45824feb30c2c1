#include "collectors/backup/archive_tool.h"

#include <gtest/gtest.h>

namespace pgposture {
namespace {

TEST(ArchiveToolTest, RecognisesBackupTools) {
  EXPECT_EQ(RecognizeArchiveTool("pgbackrest --stanza=main archive-push %p", ""),
            v1::ARCHIVE_TOOL_PGBACKREST);
  EXPECT_EQ(RecognizeArchiveTool("/usr/bin/pgbackrest --config=/etc/pgbackrest/pgbackrest.conf "
                                 "--stanza=main archive-push \"%p\"",
                                 ""),
            v1::ARCHIVE_TOOL_PGBACKREST);
  EXPECT_EQ(RecognizeArchiveTool("wal-g wal-push %p", ""), v1::ARCHIVE_TOOL_WAL_G);
  EXPECT_EQ(RecognizeArchiveTool("envdir /etc/wal-g.d/env /usr/local/bin/wal-g wal-push %p", ""),
            v1::ARCHIVE_TOOL_WAL_G);
  EXPECT_EQ(RecognizeArchiveTool("barman-wal-archive backup-host pg %p", ""), v1::ARCHIVE_TOOL_BARMAN);
  EXPECT_EQ(RecognizeArchiveTool("barman-cloud-wal-archive s3://bucket/barman pg %p", ""),
            v1::ARCHIVE_TOOL_BARMAN);
  EXPECT_EQ(RecognizeArchiveTool("sh -c 'pgbackrest --stanza=main archive-push %p'", ""),
            v1::ARCHIVE_TOOL_PGBACKREST);
}

TEST(ArchiveToolTest, RecognisesPlainCopies) {
  EXPECT_EQ(RecognizeArchiveTool("cp %p /mnt/archive/%f", ""), v1::ARCHIVE_TOOL_COPY);
  EXPECT_EQ(
      RecognizeArchiveTool("test ! -f /mnt/server/archivedir/%f && cp %p /mnt/server/archivedir/%f", ""),
      v1::ARCHIVE_TOOL_COPY);
  EXPECT_EQ(RecognizeArchiveTool("[ ! -f /a/%f ] && /bin/cp %p /a/%f", ""), v1::ARCHIVE_TOOL_COPY);
  EXPECT_EQ(RecognizeArchiveTool("rsync -a %p backup:/archive/%f", ""), v1::ARCHIVE_TOOL_COPY);
  EXPECT_EQ(RecognizeArchiveTool("", "basic_archive"), v1::ARCHIVE_TOOL_COPY);
}

TEST(ArchiveToolTest, AnythingElseIsOther) {
  EXPECT_EQ(RecognizeArchiveTool("/usr/local/bin/archive-wal.sh %p %f", ""), v1::ARCHIVE_TOOL_OTHER);
  EXPECT_EQ(RecognizeArchiveTool("false", ""), v1::ARCHIVE_TOOL_OTHER);
  // A guard alone copies nothing, and a copy piped elsewhere is not a plain copy.
  EXPECT_EQ(RecognizeArchiveTool("test ! -f /a/%f", ""), v1::ARCHIVE_TOOL_OTHER);
  EXPECT_EQ(RecognizeArchiveTool("gzip < %p > /a/%f.gz && cp /a/%f.gz /b/", ""), v1::ARCHIVE_TOOL_OTHER);
  EXPECT_EQ(RecognizeArchiveTool("", "my_archive_module"), v1::ARCHIVE_TOOL_OTHER);
}

TEST(ArchiveToolTest, LibraryWinsOverCommand) {
  EXPECT_EQ(RecognizeArchiveTool("cp %p /a/%f", "my_archive_module"), v1::ARCHIVE_TOOL_OTHER);
}

TEST(ArchiveToolTest, EmptyOrDisabledIsNone) {
  EXPECT_EQ(RecognizeArchiveTool("", ""), v1::ARCHIVE_TOOL_NONE);
  EXPECT_EQ(RecognizeArchiveTool("  ", ""), v1::ARCHIVE_TOOL_NONE);
  EXPECT_EQ(RecognizeArchiveTool("(disabled)", ""), v1::ARCHIVE_TOOL_NONE);
}

}  // namespace
}  // namespace pgposture
