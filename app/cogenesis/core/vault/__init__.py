"""The encrypted vault that holds the user's private context (SQLCipher 4)."""

from cogenesis.core.vault.autobackup import AutomaticBackup
from cogenesis.core.vault.backup import BackupInfo, restore_backup, write_backup
from cogenesis.core.vault.integrity import IntegrityReport
from cogenesis.core.vault.keystore import KeyStore, KeyStoreKind
from cogenesis.core.vault.lifecycle import (
    VaultFiles,
    VaultMeta,
    change_passphrase,
    check_database,
    create_vault,
    export_key,
    read_meta,
    unlock_vault,
)
from cogenesis.core.vault.records import (
    Conversation,
    Message,
    Note,
    Profile,
    SearchHit,
    SensitiveTerm,
    WritingSample,
)
from cogenesis.core.vault.recovery import Recovery, list_automatic_backups, recover_from_backup
from cogenesis.core.vault.transfer import (
    ImportSummary,
    VaultDocument,
    export_vault,
    import_into,
    load_import_file,
    parse_document,
)
from cogenesis.core.vault.vault import Vault

__all__ = [
    "AutomaticBackup",
    "BackupInfo",
    "Conversation",
    "ImportSummary",
    "IntegrityReport",
    "KeyStore",
    "KeyStoreKind",
    "Message",
    "Note",
    "Profile",
    "Recovery",
    "SearchHit",
    "SensitiveTerm",
    "Vault",
    "VaultDocument",
    "VaultFiles",
    "VaultMeta",
    "WritingSample",
    "change_passphrase",
    "check_database",
    "create_vault",
    "export_key",
    "export_vault",
    "import_into",
    "list_automatic_backups",
    "load_import_file",
    "parse_document",
    "read_meta",
    "recover_from_backup",
    "restore_backup",
    "unlock_vault",
    "write_backup",
]
