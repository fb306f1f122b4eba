from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from directory.imports.reader import FileError, check_size, file_kind, too_big_message
from employers.choices import Sector


class ImportForm(forms.Form):
    catalog = forms.ModelChoiceField(label=_("导入到目录"), queryset=None, empty_label=None)
    title = forms.CharField(
        label=_("新批次的标题"),
        max_length=120,
        help_text=_("例如：青岛市妈妈岗目录（第二批）。导入的岗位组成这个新批次，审核后再发布。"),
    )
    default_sector = forms.ChoiceField(
        label=_("表格没有“行业”的岗位归入"),
        choices=Sector.choices,
        initial=Sector.OTHER,
    )
    file = forms.FileField(
        label=_("表格文件"),
        help_text=_("Excel（.xlsx）或 CSV 文件，不超过 %(mb)s MB。")
        % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, catalogs, too_big=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalog"].queryset = catalogs
        if too_big:
            # The upload handler dropped the file while it streamed in: say why it is missing.
            self.fields["file"].error_messages["required"] = too_big_message()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
            head = upload.read(8)
            upload.seek(0)
            file_kind(upload.name, head)
        except FileError as error:
            raise forms.ValidationError(error.args[0]) from error
        return upload
