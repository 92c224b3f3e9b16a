from __future__ import annotations

from django import forms

from banshi.accounts.roles import Role


class LoginForm(forms.Form):
    mobile = forms.CharField(label="手机号", max_length=20)
    password = forms.CharField(label="密码", max_length=128, widget=forms.PasswordInput)


class UserCreateForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    mobile = forms.CharField(label="手机号", max_length=20)
    title = forms.CharField(label="职务", max_length=50, required=False)
    org_unit = forms.CharField(label="所属单位编号", max_length=20)
    password = forms.CharField(
        label="初始密码", min_length=8, max_length=128, widget=forms.PasswordInput
    )


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    org_unit = forms.CharField(label="授权单位编号", max_length=20)
    valid_until = forms.DateTimeField(label="失效时间（可选）", required=False)
